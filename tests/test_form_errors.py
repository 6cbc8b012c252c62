"""A form that fails on the server shows again with what the user typed and the error, in the
user's language: nothing typed is lost to a redirect.

FORM_ERRORS lists POST views with a form, each with invalid input (a form error or a service's
refusal) and the text the user typed. The guard takes every POST endpoint of the permission
table: each must be registered here or listed in NOT_COVERED with its reason.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.test_permission_table import ROUTES

CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class FormError:
    name: str
    args: Callable  # world -> URL arguments
    persona: str
    data: Callable  # world -> invalid POST data that holds `typed`
    typed: str  # what the user typed and must see again


def _incident(world):
    from tests.icp.factories_emergency import IncidentFactory

    return [IncidentFactory(organisation=world.organisation, reported_by=world.users["staff"]).pk]


def _draft_policy(world):
    from tests.icp.factories_policy import PolicyVersionFactory

    version = PolicyVersionFactory(
        organisation=world.organisation, created_by=world.users["manager"]
    )
    return [version.pk]


def _audit_without_checklist(world):
    from tests.audits.factories import make_audit

    return [make_audit(world, elements=["E1"], sample_size=1).pk]


def _hold(world):
    from tests.records.routes_records import _hold as make_hold

    return make_hold(world)  # already the URL arguments


LONG_REASON = "Inquiry closed by letter of the MOFCOM bureau. " * 45  # over 2,000 characters


LONG_COMMENT = "The site visit confirmed the machines are in Stuttgart. " * 100  # over 5,000


def _disposable(world):
    """A record whose retention has ended, on the disposal schedule; no URL arguments."""
    from tests.records.routes_records import _incident_record

    record = _incident_record(world)
    type(record).objects.filter(pk=record.pk).update(
        retained_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    return []


def _disposal(world):
    from tests.records.routes_records import _disposal as make_disposal

    return make_disposal(world)


def _incident_action(world):
    from tests.icp.factories_emergency import IncidentActionFactory

    incident_pk = _incident(world)[0]
    action = IncidentActionFactory(incident_id=incident_pk, owner=world.users["staff"])
    return [incident_pk, action.pk]


def _submitted_policy(world):
    from tests.icp.factories_policy import PolicyVersionFactory

    version = PolicyVersionFactory(
        organisation=world.organisation, created_by=world.users["manager"], submitted=True
    )
    return [version.pk]


def _hit(world):
    from tests.screening.routes_screening import _screening

    return [_screening(world).hits.first().pk]


def _audit_args(world):
    from tests.audits.routes_audits import audit_args

    return audit_args(world)


def _signed_off_audit(world):
    from audits.models import Audit, AuditStatus

    args = _audit_args(world)
    Audit.objects.filter(pk=args[0]).update(
        status=AuditStatus.SIGNED_OFF,
        signed_off_at=timezone.now(),
        signed_off_by=world.users["auditor"],
        summary="No major findings.",
    )
    return args


def _finding_args(world):
    from tests.audits.routes_audits import finding_args

    return finding_args(world)


def _staff_action(world):
    from tests.audits.routes_audits import staff_action_args

    return staff_action_args(world)


def _done_action(world):
    """A corrective action its owner reported done: the auditor's verification form shows."""
    from audits.models import ActionStatus, CorrectiveAction

    args = _staff_action(world)
    CorrectiveAction.objects.filter(pk=args[0]).update(
        status=ActionStatus.DONE, progress_note="Statement signed on 3 March"
    )
    return args


def _own_template(world):
    from tests.audits.routes_audits import template_args

    return template_args(world)


def _checklist_item(world):
    from tests.audits.routes_audits import item_args

    return item_args(world)


def _chamber(world):
    from tests.chambers.routes import _as_chamber

    return _as_chamber(world)


def _outreach_event(world):
    from tests.outreach.routes import _own_event

    return _own_event(world)


def _customer_check(world):
    from tests.providers.routes import _check

    return _check(world)


def _notices_channel(world):
    from tests.notices.routes import _channel

    return _channel(world)


def _future(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _foreign_list(world):
    from screening.models import ScreeningList
    from tests.screening.factories import ScreeningListFactory

    screening_list = ScreeningListFactory(
        organisation=world.organisation,
        code="FOREIGN-FORM",
        legal_category=ScreeningList.LegalCategory.FOREIGN_UNILATERAL,
        severity=ScreeningList.Severity.RED_FLAG,
    )
    return [screening_list.pk]


def _tx_draft(world):
    from tests.trade.routes_transactions import _tx

    return _tx(world)


def _tx_line(world):
    from tests.trade.routes_transactions import _line

    return _line(world)


def _flags(world):
    from trade.models import Transaction
    from trade.services.review import review_context

    transaction = Transaction.objects.get(organisation=world.organisation, reference="SO-ROUTE-1")
    return transaction, review_context(transaction).red_flags


def _tx_flag_from_data(world):
    """A draft whose first red flag the data answered yes: answering it no is refused."""
    from trade.models import RedFlagAnswer

    args = _tx_draft(world)
    transaction, flags = _flags(world)
    RedFlagAnswer.objects.update_or_create(
        organisation=world.organisation,
        transaction=transaction,
        red_flag=flags[0],
        defaults={"answer": "yes", "prefilled": True, "note": "listed end user"},
    )
    return args


def _flag_answers(world):
    from trade.models import RedFlagAnswer

    transaction, flags = _flags(world)
    from_data = set(
        RedFlagAnswer.objects.filter(transaction=transaction, prefilled=True).values_list(
            "red_flag_id", flat=True
        )
    )
    other = next(flag for flag in flags[1:] if flag.pk not in from_data)
    return {
        f"answer-{flags[0].pk}": "no",
        f"answer-{other.pk}": "unknown",
        f"note-{other.pk}": "Typed note about the buyer 58",
    }


def _tx_rejected(world):
    from trade.services.transaction import transaction_reject

    args = _tx_draft(world)
    from trade.models import Transaction

    transaction_reject(
        transaction=Transaction.objects.get(pk=args[0]),
        user=world.users["manager"],
        reason="Not our customer any more.",
    )
    return args


def _post_shipment_duty(world):
    from tests.trade.routes_transactions import _duty

    return _duty(world)


def _flag_answer(world):
    from tests.trade.routes_transactions import _answer

    return _answer(world)


FORM_ERRORS = [
    # A request whose goods were never declared cannot be released: the reason typed survives.
    FormError(
        "providers:check_decide",
        _customer_check,
        "manager",
        lambda world: {"outcome": "released", "note": "Shipper called back, goods are plain"},
        "Shipper called back, goods are plain",
    ),
    # A report dated tomorrow is refused: the grounds typed survive.
    FormError(
        "providers:check_report",
        _customer_check,
        "manager",
        lambda world: {
            "grounds": "Consignee address matches a listed front company.",
            "reported_on": _future(1),
            "channel": "Letter to MOFCOM",
        },
        "Consignee address matches a listed front company.",
    ),
    # A period that ends before it starts: the dates typed must survive.
    FormError(
        "icp:licence_pack_request",
        lambda world: [],
        "manager",
        lambda world: {"start": "2026-05-01", "end": "2026-01-01", "language": "zh-hans"},
        'value="2026-05-01"',
    ),
    # An Art. 20 question left unanswered: the other answers and notes typed must survive.
    FormError(
        "icp:readiness_disqualifiers",
        lambda world: [],
        "manager",
        lambda world: {"criminal_penalty": "no", "criminal_penalty_note": "Checked by legal"},
        'value="Checked by legal"',
    ),
    # A document number with spaces: what was typed must survive.
    FormError(
        "icp:manual_request",
        lambda world: [],
        "manager",
        lambda world: {"language": "zh-hans", "edition": "full", "document_number": "ECP 01 QM"},
        "ECP 01 QM",
    ),
    # A foreign list made "prohibited" with too short a reason: the reason typed must survive.
    FormError(
        "screening:list_severity",
        _foreign_list,
        "manager",
        lambda world: {"severity": "block", "reason": "Parent"},
        "Parent",
    ),
    # The service refuses a report date in the future: the report text must survive.
    FormError(
        "icp:incident_mofcom",
        _incident,
        "manager",
        lambda world: {
            "reported_on": _future(),
            "reference": "MOFCOM-2026-0042",
            "content": "Reported the diverted shipment to MOFCOM by telephone.",
        },
        "Reported the diverted shipment to MOFCOM by telephone.",
    ),
    # No owner chosen: the action's description must survive.
    FormError(
        "icp:incident_action_add",
        _incident,
        "manager",
        lambda world: {"description": "Retrain the sales team on end-use checks", "owner": ""},
        "Retrain the sales team on end-use checks",
    ),
    # No such transaction: the reference typed must survive.
    FormError(
        "icp:incident_link_transaction",
        _incident,
        "manager",
        lambda world: {"reference": "SO-DOES-NOT-EXIST-77"},
        "SO-DOES-NOT-EXIST-77",
    ),
    # Outcome missing: the reason typed must survive.
    FormError(
        "icp:incident_close",
        _incident,
        "manager",
        lambda world: {"summary": "", "not_reportable_reason": "Goods never left the warehouse"},
        "Goods never left the warehouse",
    ),
    FormError(
        "icp:policy_version_edit",
        _draft_policy,
        "manager",
        lambda world: {"title_zh": "出口管制合规政策声明（修订稿）", "body_zh": ""},
        "出口管制合规政策声明（修订稿）",
    ),
    # Transactions (issue #15): an unknown item, party or licence, a refused action.
    FormError(
        "transactions:line_add",
        _tx_draft,
        "staff",
        lambda world: {
            "item": "ENC-NO-SUCH-ITEM-42",
            "quantity": "2",
            "unit": "pcs",
            "value": "10",
            "currency": "EUR",
        },
        "ENC-NO-SUCH-ITEM-42",
    ),
    FormError(
        "transactions:line_update",
        _tx_line,
        "staff",
        lambda world: {"quantity": "-7.25", "value": "10"},
        'value="-7.25"',
    ),
    FormError(
        "transactions:red_flags_answer",
        _tx_flag_from_data,
        "staff",
        _flag_answers,
        'value="Typed note about the buyer 58"',
    ),
    FormError(
        "transactions:party_add",
        _tx_draft,
        "staff",
        lambda world: {"role": "buyer", "party": "Nonexistent Trading Co 77"},
        "Nonexistent Trading Co 77",
    ),
    FormError(
        "transactions:euc_record",
        _tx_draft,
        "staff",
        lambda world: {
            "euc_issuer": "Novatek Automation GmbH Stuttgart",
            "euc_issued_on": "2026-03-02",
            "euc_valid_until": "2026-01-01",
        },
        "Novatek Automation GmbH Stuttgart",
    ),
    FormError(
        "transactions:licence_decide",
        _tx_draft,
        "manager",
        lambda world: {
            "decision": "covered",
            "licence": "",
            "note": "Covered by the licence from the March call",
        },
        "Covered by the licence from the March call",
    ),
    FormError(
        "transactions:transaction_approve",
        _tx_draft,
        "manager",
        lambda world: {"note": "Approved after the call with Novatek on 2 March"},
        "Approved after the call with Novatek on 2 March",
    ),
    FormError(
        "transactions:transaction_hold",
        _tx_rejected,
        "manager",
        lambda world: {"reason": "Waiting for the customs broker on the HS code"},
        "Waiting for the customs broker on the HS code",
    ),
    FormError(
        "transactions:transaction_reject",
        _tx_rejected,
        "manager",
        lambda world: {"reason": "Rejected again after the board meeting"},
        "Rejected again after the board meeting",
    ),
    FormError(
        "transactions:transaction_release",
        _tx_draft,
        "manager",
        lambda world: {"reason": "Released after the EUC arrived by courier"},
        "Released after the EUC arrived by courier",
    ),
    FormError(
        "transactions:red_flag_resolve",
        _flag_answer,
        "manager",
        lambda world: {"justification": "Checked."},
        "Checked.",
    ),
    FormError(
        "transactions:duty_complete",
        lambda world: __import__("tests.trade.routes_transactions", fromlist=["_duty"])._duty(
            world
        ),
        "manager",
        lambda world: {"evidence_note": "Sent."},
        "Sent.",
    ),
    # A reason too long: the reason typed must survive.
    FormError(
        "records:hold_release",
        _hold,
        "manager",
        lambda world: {"note": LONG_REASON},
        LONG_REASON.strip(),
    ),
    # No file chosen: the description typed must survive (a browser cannot keep the file).
    FormError(
        "audits:item_attach",
        _checklist_item,
        "auditor",
        lambda world: {"description": "Signed policy statement, scan of 2026-03-02"},
        "Signed policy statement, scan of 2026-03-02",
    ),
    # The service refuses to sign off an audit without a checklist: the summary must survive.
    FormError(
        "audits:audit_sign_off",
        _audit_without_checklist,
        "auditor",
        lambda world: {"summary": "No major findings; two minor ones on training records."},
        "No major findings; two minor ones on training records.",
    ),
    # A credit code too short: the code typed must survive.
    FormError(
        "chambers:home",
        _chamber,
        "manager",
        lambda world: {"credit_code": "9132059412"},
        "9132059412",
    ),
    # No kind chosen: the title typed must survive.
    FormError(
        "chambers:publication_create",
        _chamber,
        "manager",
        lambda world: {"title_zh": "清单调整（会员通知）"},
        "清单调整（会员通知）",
    ),
    # The registration closes after the start: the title typed must survive.
    FormError(
        "outreach:event_create",
        _chamber,
        "manager",
        lambda world: {
            "kind": "seminar",
            "title_zh": "出口管制合规研讨会",
            "starts_at": "2030-05-20T14:00",
            "duration_minutes": "120",
            "place": "商会报告厅",
            "capacity": "40",
            "registration_deadline": "2030-05-21T17:00",
        },
        "出口管制合规研讨会",
    ),
    # The registration now closes after the start: the title typed must survive.
    FormError(
        "outreach:event_update",
        lambda world: _outreach_event(world),
        "manager",
        lambda world: {
            "kind": "seminar",
            "title_zh": "出口管制合规研讨会（改期）",
            "starts_at": "2030-05-20T14:00",
            "duration_minutes": "120",
            "place": "商会报告厅",
            "capacity": "40",
            "registration_deadline": "2030-05-21T17:00",
        },
        "出口管制合规研讨会（改期）",
    ),
    # A reason too long: the reason typed must survive.
    FormError(
        "outreach:event_cancel",
        lambda world: _outreach_event(world),
        "manager",
        lambda world: {"reason": LONG_REASON},
        LONG_REASON.strip(),
    ),
    # No source: the decision number typed must survive.
    FormError(
        "outreach:case_create",
        lambda world: [],
        "manager",
        lambda world: {
            "title_zh": "某公司未经许可出口案",
            "authority": "customs",
            "decision_number": "宁关缉违字〔2025〕0001号",
            "decision_date": "2025-02-03",
            "source": "",
            "summary_zh": "案情。",
        },
        "宁关缉违字〔2025〕0001号",
    ),
    # No announcement date: the announcement number typed must survive.
    FormError(
        "chambers:list_updates",
        _chamber,
        "manager",
        lambda world: {"announcement_number": "商务部公告2025年第51号", "status": "in_force"},
        "商务部公告2025年第51号",
    ),
    # No platform chosen: the robot's name typed must survive.
    FormError(
        "notices:settings",
        lambda world: [],
        "manager",
        lambda world: {"name": "出口合规预警群", "language": "zh-hans"},
        "出口合规预警群",
    ),
    FormError(
        "notices:channel_edit",
        _notices_channel,
        "manager",
        lambda world: {"name": "出口合规预警群", "language": "zh-hans"},
        "出口合规预警群",
    ),
]

FORM_ERRORS += [
    # No record chosen: the reason typed must survive (and the records chosen stay chosen).
    FormError(
        "records:disposal_propose",
        _disposable,
        "manager",
        lambda world: {"note": "Order files of 2014, retention ended in 2025"},
        "Order files of 2014, retention ended in 2025",
    ),
    # A note too long: the note typed must survive.
    FormError(
        "records:disposal_approve",
        _disposal,
        "executive",
        lambda world: {"note": LONG_REASON},
        LONG_REASON.strip(),
    ),
    FormError(
        "records:disposal_reject",
        _disposal,
        "executive",
        lambda world: {"note": LONG_REASON},
        LONG_REASON.strip(),
    ),
    # No file chosen: the description typed must survive (a browser cannot keep the file).
    FormError(
        "records:document_upload",
        lambda world: ["icp.incident", _incident(world)[0]],
        "manager",
        lambda world: {"document_type": "evidence", "description": "Carrier's letter of 3 May"},
        "Carrier&#x27;s letter of 3 May",
    ),
    # A comment too long: the comment typed must survive.
    FormError(
        "core:comment_add",
        lambda world: ["icp.incident", _incident(world)[0]],
        "manager",
        lambda world: {"body": LONG_COMMENT},
        LONG_COMMENT.strip(),
    ),
]

FORM_ERRORS += [
    # A note too long: the note typed must survive, under its action.
    FormError(
        "icp:incident_action_done",
        _incident_action,
        "manager",
        lambda world: {"note": LONG_REASON},
        LONG_REASON.strip(),
    ),
    FormError(
        "icp:policy_version_approve",
        _submitted_policy,
        "executive",
        lambda world: {"comment": LONG_REASON},
        LONG_REASON.strip(),
    ),
    FormError(
        "icp:policy_version_return",
        _submitted_policy,
        "executive",
        lambda world: {"comment": LONG_REASON},
        LONG_REASON.strip(),
    ),
]

FORM_ERRORS += [
    # No decision chosen: the reason typed must survive, under its hit.
    FormError(
        "screening:hit_adjudicate",
        _hit,
        "manager",
        lambda world: {"outcome": "", "reason": "Registered in Munich, other address and trade"},
        "Registered in Munich, other address and trade",
    ),
]

FORM_ERRORS += [
    # An addendum too long: the text typed must survive.
    FormError(
        "audits:addendum_create",
        _signed_off_audit,
        "auditor",
        lambda world: {"text": LONG_COMMENT},
        LONG_COMMENT.strip(),
    ),
    # An address outside the application: the label typed must survive.
    FormError(
        "audits:item_link",
        _checklist_item,
        "auditor",
        lambda world: {"url": "https://example.com/policy", "label": "Signed statement 2026"},
        "Signed statement 2026",
    ),
    # No owner chosen: the action's description must survive.
    FormError(
        "audits:action_create",
        _finding_args,
        "manager",
        lambda world: {
            "description": "Have the general manager sign the statement",
            "owner": "",
            "due_date": _future(),
        },
        "Have the general manager sign the statement",
    ),
    # A status the owner may not choose: the note typed must survive.
    FormError(
        "audits:action_update",
        _staff_action,
        "staff",
        lambda world: {"status": "closed", "progress_note": "Sent the statement for signature"},
        "Sent the statement for signature",
    ),
    # No result chosen: what the auditor checked must survive.
    FormError(
        "audits:action_verify",
        _done_action,
        "auditor",
        lambda world: {"accepted": "", "note": "Saw the signed statement in the records"},
        "Saw the signed statement in the records",
    ),
    # No Chinese text: the English question typed must survive.
    FormError(
        "audits:question_add",
        _own_template,
        "auditor",
        lambda world: {
            "element": "E1",
            "text_zh": "",
            "text_en": "Is the statement signed by the general manager?",
        },
        "Is the statement signed by the general manager?",
    ),
    # No element in scope: the title typed must survive.
    FormError(
        "audits:plan_entry_create",
        lambda world: [],
        "auditor",
        lambda world: {
            "title_zh": "下半年内部审计",
            "audit_type": "internal",
            "recurrence": "yearly",
            "next_start": _future(),
            "duration_days": "14",
            "period_months": "12",
        },
        "下半年内部审计",
    ),
]

# POST endpoints not covered above, each with its reason.
NOT_COVERED = {
    "accounts:logout": "a button, nothing typed",
    "icp:plan_from_template": "a button, nothing typed",
    "accounts:switch_organisation": "a choice from a menu, nothing typed",
    "accounts:member_deactivate": "a button, nothing typed",
    "accounts:member_reactivate": "a button, nothing typed",
    "accounts:invitation_cancel": "a button, nothing typed",
    "accounts:member_invite": "a form page rendered by Django's standard form pattern",
    "accounts:member_edit": "a form page rendered by Django's standard form pattern",
    "accounts:organisation_profile": "a form page rendered by Django's standard form pattern",
    "api:screen": "API: errors are JSON",
    "api:transaction_create": "API: errors are JSON",
    "audits:audit_generate": "a button, nothing typed",
    "audits:audit_regenerate": "a button, nothing typed",
    "audits:report_generate": "a button, nothing typed",
    "audits:item_take": "a button, nothing typed",
    "audits:item_autosave": "autosave: answers JSON to the page's script",
    "audits:plan_entry_start": "a button, nothing typed",
    "audits:template_copy": "a button, nothing typed",
    "chambers:membership_accept": "a checkbox and a button, nothing typed",
    "chambers:membership_consent": "a button, nothing typed",
    "chambers:membership_decline": "a button, nothing typed",
    "chambers:membership_leave": "a button, nothing typed",
    "chambers:publication_publish": "a button, nothing typed",
    "outreach:case_update": "the same form and handler as outreach:case_create above",
    "outreach:case_publish": "a button, nothing typed",
    "outreach:event_attendance": "check boxes of the registrations, nothing typed",
    "outreach:event_register": "a button, nothing typed",
    "outreach:registration_cancel": "a button, nothing typed",
    "chambers:list_update_status": "a choice of three statuses and a button, nothing typed",
    "chambers:list_subscription": "a button, nothing typed",
    "chambers:publication_adopt": "a button, nothing typed",
    "icp:manual_settings": "choices only, on the manual request form; a refused choice shows "
    "the page again with what was chosen (the request's handler)",
    "notices:channel_test": "a button, nothing typed",
    "core:job_retry": "a button, nothing typed",
    "icp:course_library_adopt": "a button, nothing typed",
    "icp:compliance_body_create": "a form page rendered by Django's standard form pattern",
    "icp:policy_version_create": "a form page rendered by Django's standard form pattern",
    "icp:destination_risk_delete": "a button, nothing typed",
    "icp:risk_factor_delete": "a button, nothing typed",
    "icp:incident_note": "one required text: an empty note has nothing to keep",
    "icp:incident_stop_shipment": "shown only with linked transactions; same handler as the "
    "incident forms above",
    "icp:incident_triage": "choices only; same handler as the incident forms above",
    "icp:manual_review": "a button, nothing typed",
    "icp:manual_approve": "a button, nothing typed",
    "icp:policy_acknowledge": "a button, nothing typed",
    "icp:policy_version_new_from": "a button, nothing typed",
    "icp:policy_version_publish": "a button, nothing typed",
    "icp:policy_version_submit": "a button, nothing typed",
    "icp:risk_assessment_approve": "a button, nothing typed",
    "icp:sod_rules_install": "a button, nothing typed",
    "onboarding:risk_questions": "choices only: the page shows them again as chosen, the "
    "missing ones marked (tests/onboarding/test_onboarding.py, tests/e2e/test_onboarding.py)",
    "onboarding:home": "a choice and a checkbox: the page shows the choice again with the "
    "missing confirmation marked (tests/onboarding/test_profile.py)",
    "onboarding:step_resume": "a button, nothing typed",
    "onboarding:step_skip": "a button, nothing typed",
    "records:hold_add": "a choice of search results (check boxes), nothing typed",
    "records:hold_remove": "a button, nothing typed",
    "records:notification_read": "a button, nothing typed",
    "records:notification_read_all": "a button, nothing typed",
    "records:rule_delete": "a button, nothing typed",
    "screening:screen": "a form page rendered by Django's standard form pattern",
    "screening:token_revoke": "a button, nothing typed",
    "parties:rescreen_all": "a button, nothing typed",
    "parties:screen": "a button, nothing typed",
    "transactions:classification_review": "a button, nothing typed",
    "transactions:document_upload": "a file and a choice: a browser cannot keep the file",
    "transactions:licence_path_confirm": "a button, nothing typed",
    "transactions:licence_path_walk": "choices only: the page shows them again as chosen, the "
    "missing ones marked (tests/trade/test_licence_path.py)",
    "transactions:voucher_lapsed": "one text on the licence page, shown again as typed with "
    "the refusal (tests/trade/test_licence_path.py)",
    "transactions:line_remove": "a button, nothing typed",
    "transactions:party_remove": "a button, nothing typed",
    "transactions:transaction_screen": "a button, nothing typed",
    "transactions:transaction_shipped": "a button, nothing typed",
    "transactions:transaction_submit": "a button, nothing typed",
}


def test_every_post_view_is_registered_or_excepted():
    post_names = {route.name for route in ROUTES if route.method == "post"}
    registered = {form.name for form in FORM_ERRORS}
    missing = sorted(post_names - registered - set(NOT_COVERED))
    assert not missing, f"POST views missing from FORM_ERRORS or NOT_COVERED: {missing}"
    both = sorted(registered & set(NOT_COVERED))
    assert not both, f"both registered and excepted: {both}"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", FORM_ERRORS, ids=lambda case: case.name)
def test_a_failed_form_keeps_the_input_and_shows_the_error(case, language, world, reference):
    url = reverse(case.name, args=case.args(world))
    client = world.client(case.persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(url, case.data(world))
    assert response.status_code == 200, (
        f"{case.name} answered {response.status_code} to invalid input: the input is lost"
    )
    html = response.content.decode()
    assert case.typed in html, f"{case.name} lost what was typed"
    context = response.context
    keys = context.keys()  # a ContextList iterates its contexts, not its keys
    forms = [context[key] for key in keys if hasattr(context[key], "errors")]
    errors = [
        str(message)
        for form in forms
        if getattr(form, "is_bound", False)
        for messages in form.errors.values()
        for message in messages
    ]
    assert errors, f"{case.name} shows no error"
    for message in errors:
        assert message in html or message.replace("'", "&#x27;") in html
        if language == "zh-hans":
            assert CJK.search(message), f"{case.name}: error not in Chinese: {message}"
        else:
            assert not CJK.search(message), f"{case.name}: error not in English: {message}"
