"""Permission-table rows for the audit pages (see tests/routes.py)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from audits.models import Answer, AuditReport, PlanEntry
from audits.services.audits import plan_entry_create
from audits.services.checklist import checklist_generate
from audits.services.review import action_create, finding_raise, item_answer
from audits.services.templates import template_copy, template_standard_ensure
from tests.routes import EVERY_MEMBER, READERS, Route, expect, own_record

from .factories import make_audit, transactions_bulk

AUDITOR_ONLY = expect(manager=403, executive=403, staff=403, outsider=403)
AUDITOR_POST = expect(manager=403, auditor=302, executive=403, staff=403, outsider=403)
FOLLOW_UP_POST = own_record(expect(manager=302, auditor=302, executive=403, staff=403))


def _audit(world):
    transactions_bulk(world, 1)
    audit = make_audit(world, elements=["E1", "E4"], sample_size=1)
    checklist_generate(audit=audit)
    return audit


def audit_args(world):
    return [_audit(world).pk]


def item_args(world):
    audit = _audit(world)
    return [audit.pk, audit.items.order_by("position").first().pk]


def transaction_item_args(world):
    audit = _audit(world)
    return [audit.pk, audit.items.filter(transaction__isnull=False).first().pk]


def _finding(world):
    audit = _audit(world)
    item = audit.items.order_by("position").first()
    item_answer(item=item, user=world.users["auditor"], answer=Answer.NON_COMPLIANT)
    return finding_raise(
        audit=audit,
        user=world.users["auditor"],
        item=item,
        title="Policy statement not signed",
        description="The 2025 statement carries no signature.",
        severity="major",
    )


def finding_args(world):
    return [_finding(world).pk]


def _action(world, owner):
    return action_create(
        finding=_finding(world),
        user=world.users["auditor"],
        description="Have the general manager sign the statement",
        owner=world.users[owner],
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )


def staff_action_args(world):
    return [_action(world, "staff").pk]


def manager_action_args(world):
    return [_action(world, "manager").pk]


def report_args(world):
    audit = _audit(world)
    report = AuditReport(
        organisation=world.organisation,
        audit=audit,
        version=1,
        language="en",
        sha256="0" * 64,
        size=9,
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    report.save()
    return [report.pk]


def _own_template(world):
    return template_copy(
        organisation=world.organisation,
        user=world.users["auditor"],
        source=template_standard_ensure(),
        name_zh="本公司清单",
    )


def template_args(world):
    return [_own_template(world).pk]


def question_args(world):
    return [_own_template(world).questions.first().pk]


def plan_entry_args(world):
    entry: PlanEntry = plan_entry_create(
        organisation=world.organisation,
        user=world.users["auditor"],
        year=2026,
        title_zh="年度内部审计",
        elements=["E1"],
        next_start=datetime.date(2026, 3, 1),
        lead_auditor=world.users["auditor"],
    )
    return [entry.pk]


ROUTES = [
    Route("audits:audit_list", READERS),
    Route("audits:audit_create", AUDITOR_ONLY),
    Route("audits:audit_detail", own_record(READERS), audit_args),
    Route("audits:audit_edit", AUDITOR_ONLY, audit_args),
    Route("audits:audit_generate", AUDITOR_POST, audit_args, method="post"),
    Route("audits:audit_regenerate", AUDITOR_POST, audit_args, method="post"),
    Route("audits:audit_sign_off", AUDITOR_ONLY, audit_args),
    Route(
        "audits:addendum_create",
        AUDITOR_POST,
        audit_args,
        method="post",
        data=lambda world: {"text": "Correction"},
    ),
    Route(
        "audits:report_generate",
        AUDITOR_POST,
        audit_args,
        method="post",
        data=lambda world: {"language": "en"},
    ),
    Route("audits:checklist", own_record(READERS), audit_args),
    Route("audits:item_detail", own_record(READERS), item_args),
    Route(
        "audits:item_autosave",
        AUDITOR_POST,
        item_args,
        method="post",
        data=lambda world: {"answer": "compliant", "comment": "Seen the signed statement."},
    ),
    Route(
        "audits:item_link",
        AUDITOR_POST,
        item_args,
        method="post",
        data=lambda world: {"url": "/audits/", "label": "Audits"},
    ),
    # Without a file the item page is shown again with the error (200).
    Route("audits:item_attach", {**AUDITOR_POST, "auditor": 200}, item_args, method="post"),
    Route("audits:item_take", AUDITOR_POST, transaction_item_args, method="post"),
    Route("audits:finding_create", AUDITOR_ONLY, audit_args),
    Route("audits:finding_detail", own_record(READERS), finding_args),
    Route(
        "audits:action_create",
        FOLLOW_UP_POST,
        finding_args,
        method="post",
        data=lambda world: {
            "description": "Sign it",
            "owner": world.users["manager"].pk,
            "due_date": "2030-01-31",
        },
    ),
    Route("audits:action_list", EVERY_MEMBER),
    Route("audits:action_detail", own_record(EVERY_MEMBER), staff_action_args),
    Route(
        "audits:action_detail",
        own_record(expect(staff=403)),
        manager_action_args,
        id="audits:action_detail:not-the-owner",
    ),
    Route(
        "audits:action_update",
        own_record(expect(manager=302, auditor=403, executive=403, staff=302)),
        staff_action_args,
        method="post",
        data=lambda world: {"status": "in_progress", "progress_note": "Drafting"},
    ),
    Route(
        "audits:action_verify",
        AUDITOR_POST,
        staff_action_args,
        method="post",
        data=lambda world: {"accepted": "yes", "note": "Checked"},
    ),
    Route("audits:report_download", own_record(READERS), report_args),
    Route("audits:template_list", READERS),
    Route(
        "audits:template_copy",
        AUDITOR_POST,
        method="post",
        data=lambda world: {"source": template_standard_ensure().pk, "name_zh": "副本"},
    ),
    Route("audits:template_detail", own_record(READERS), template_args),
    Route(
        "audits:question_add",
        AUDITOR_POST,
        template_args,
        method="post",
        data=lambda world: {"element": "E1", "text_zh": "是否公布？"},
    ),
    Route("audits:question_edit", AUDITOR_ONLY, question_args),
    Route("audits:plan", READERS),
    # Nothing typed: the plan is shown again with the errors (200).
    Route(
        "audits:plan_entry_create",
        expect(manager=403, auditor=200, executive=403, staff=403, outsider=403),
        method="post",
    ),
    Route("audits:plan_entry_start", AUDITOR_POST, plan_entry_args, method="post"),
]
