"""An approval holds only while what it approved is unchanged (issue #12): every key change,
lines included, reopens the review; the one change a rule allows without review is recorded;
pre-filled answers stay the system's; the submitter does not approve; stored sentences render
in the reader's language."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.roles import Role
from reference.models import RedFlag
from screening.services.parties import party_screen
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.trade.factories_transactions import (
    classified_item,
    clean_transaction,
    controlled_transaction,
    screened_party,
    walk_paths,
)
from trade.models import (
    Answer,
    Approval,
    LicenceDecision,
    LicenceDrawdown,
    PartyRole,
    RedFlagAnswer,
    TransactionEvent,
    TransactionState,
)
from trade.services.transaction import (
    red_flags_answer_many,
    transaction_approve,
    transaction_approvers,
    transaction_create,
    transaction_euc_record,
    transaction_licence_decide,
    transaction_line_add,
    transaction_line_remove,
    transaction_line_update,
    transaction_party_add,
    transaction_party_remove,
    transaction_submit,
    transaction_update,
)
from trade.stored_text import parse, render

pytestmark = pytest.mark.usefixtures("reference", "public_list")


def _approved(world, *, controlled=False):
    transaction = controlled_transaction(world) if controlled else clean_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED
    return transaction


def _header(field, value):
    def change(world, transaction):
        if callable(value):
            transaction_update(transaction=transaction, user=world.users["staff"], **value(world))
        else:
            transaction_update(transaction=transaction, user=world.users["staff"], **{field: value})

    return change


def _line(**values):
    def change(world, transaction):
        transaction_line_update(line=transaction.lines.get(), user=world.users["staff"], **values)

    return change


def _add_line(world, transaction):
    transaction_line_add(
        transaction=transaction,
        user=world.users["staff"],
        item=classified_item(world, name="Spare encoder cable"),
        quantity=1,
        value=10,
    )


def _remove_line(world, transaction):
    _add_line(world, transaction)  # reopens; approve again so that the removal is tested alone
    transaction.refresh_from_db()
    walk_paths(transaction, world.users["manager"])  # the new line's licensing path
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction_line_remove(line=transaction.lines.order_by("-pk")[0], user=world.users["staff"])


def _add_party(world, transaction):
    other = screened_party(world, name="Anatolia Makine Sanayi A.S.", country="TR")
    transaction_party_add(
        transaction=transaction, user=world.users["staff"], party=other, role=PartyRole.CONSIGNEE
    )


def _remove_party(world, transaction):
    transaction_party_remove(
        link=transaction.parties.get(role=PartyRole.BUYER), user=world.users["staff"]
    )


def _euc(world, transaction):
    transaction_euc_record(
        transaction=transaction, user=world.users["staff"], euc_number="EUC-2025-999"
    )


def _licence(world, transaction):
    transaction_licence_decide(
        transaction=transaction,
        user=world.users["manager"],
        decision=LicenceDecision.SINGLE_REQUIRED,
    )


KEY_CHANGES = {
    "kind": _header("kind", "contract"),
    "is_intangible": _header("is_intangible", True),
    "destination_country": _header("destination_country", "RU"),
    "transit_countries": _header("transit_countries", ["TR"]),
    "end_use": _header("end_use", "Spare parts for a different customer's machines"),
    "sales_approved_by": _header(
        "sales_approved_by", lambda world: {"sales_approved_by": world.users["executive"]}
    ),
    "line quantity (no licence)": _line(quantity=200),
    "line value": _line(value=Decimal("9999.00")),
    "line HS code": _line(hs_code="8537109011"),
    "line added": _add_line,
    "line removed": _remove_line,
    "party added": _add_party,
    "party removed": _remove_party,
    "end-user certificate": _euc,
    "licence decision": _licence,
}


@pytest.mark.parametrize("change", KEY_CHANGES.values(), ids=KEY_CHANGES.keys())
def test_each_key_change_after_approval_reopens_the_review(world, change):
    transaction = _approved(world)
    change(world, transaction)
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.IN_REVIEW
    assert not Approval.objects.filter(transaction=transaction, superseded_at__isnull=True).exists()
    superseded = Approval.objects.filter(transaction=transaction).order_by("-pk")[0]
    assert superseded.superseded_reason_code and superseded.superseded_reason_text
    reopened = transaction.events.filter(kind=TransactionEvent.Kind.REOPENED).last()
    assert reopened is not None and reopened.actor is not None and reopened.reason_code


def test_an_unchanged_save_keeps_the_approval(world):
    transaction = _approved(world)
    line = transaction.lines.get()
    transaction_line_update(
        line=line, user=world.users["staff"], quantity=line.quantity, value=line.value
    )
    transaction_update(
        transaction=transaction,
        user=world.users["staff"],
        destination_country=transaction.destination_country.code,
        end_use=transaction.end_use,
    )
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED


def test_a_quantity_within_the_licence_balance_stands_and_is_recorded_with_the_approval(world):
    transaction = _approved(world, controlled=True)
    approval = Approval.objects.get(transaction=transaction)
    frozen = approval.evidence
    transaction_line_update(line=transaction.lines.get(), user=world.users["staff"], quantity=12)
    transaction.refresh_from_db()
    approval.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED
    assert approval.evidence == frozen  # the evidence itself stays as frozen
    [amendment] = approval.amendments
    assert amendment["code"] == "item_changed_within_licence"
    assert amendment["params"]["quantity"] == "12"
    assert amendment["drawdown_before"]["quantity"] == "10.000"
    assert amendment["by"] == str(world.users["staff"])
    drawdown = LicenceDrawdown.objects.get(transaction=transaction, released_at__isnull=True)
    assert drawdown.quantity == 12


# --- pre-filled red-flag answers -------------------------------------------------------------


def test_a_prefilled_unknown_saved_unchanged_stays_the_systems_and_follows_the_data(world):
    staff = world.users["staff"]
    transaction = transaction_create(
        organisation=world.organisation,
        user=staff,
        reference="SO-RF-1",
        destination_country="DE",
        end_use="Machine tools",
    )
    buyer = screened_party(world, name="Novatek Automation GmbH")
    transaction_party_add(transaction=transaction, user=staff, party=buyer, role=PartyRole.BUYER)
    forwarder_flag = (
        RedFlag.objects.filter(
            framework__is_current=True, prefill="forwarder_or_trader_as_end_user"
        )
        .order_by("ref_id")
        .first()
    )
    answer = RedFlagAnswer.objects.get(transaction=transaction, red_flag=forwarder_flag)
    assert answer.prefilled and answer.answer == Answer.UNKNOWN and answer.answered_by is None
    # The page's form sends back every answer as shown, the pre-filled "unknown" included.
    red_flags_answer_many(
        transaction=transaction,
        user=staff,
        answers={forwarder_flag: (Answer.UNKNOWN, ""), **_other_answers(transaction)},
    )
    answer.refresh_from_db()
    assert answer.prefilled and answer.answered_by is None
    transaction_party_add(transaction=transaction, user=staff, party=buyer, role=PartyRole.END_USER)
    answer.refresh_from_db()
    assert answer.answer == Answer.NO and answer.prefilled


def test_a_persons_change_of_a_prefilled_answer_is_theirs(world):
    staff = world.users["staff"]
    transaction = transaction_create(
        organisation=world.organisation,
        user=staff,
        reference="SO-RF-2",
        destination_country="DE",
        end_use="Machine tools",
    )
    forwarder_flag = (
        RedFlag.objects.filter(
            framework__is_current=True, prefill="forwarder_or_trader_as_end_user"
        )
        .order_by("ref_id")
        .first()
    )
    red_flags_answer_many(
        transaction=transaction,
        user=staff,
        answers={forwarder_flag: (Answer.UNKNOWN, "Customer will tell us next week.")},
    )
    answer = RedFlagAnswer.objects.get(transaction=transaction, red_flag=forwarder_flag)
    assert not answer.prefilled and answer.answered_by == staff


def _other_answers(transaction):
    answered = set(transaction.red_flag_answers.values_list("red_flag_id", flat=True))
    return {
        flag: (Answer.NO, "")
        for flag in RedFlag.objects.filter(framework__is_current=True)
        if flag.pk not in answered
    }


# --- segregation of duties: the submitter ----------------------------------------------------


def test_the_submitter_cannot_approve_whoever_created_the_draft(world):
    manager = world.users["manager"]
    transaction = clean_transaction(world, submit=False)  # created by staff
    transaction_submit(transaction=transaction, user=manager)
    transaction.refresh_from_db()
    assert transaction.submitted_by == manager
    with pytest.raises(ValidationError, match="submitted this transaction"):
        transaction_approve(transaction=transaction, user=manager)
    deputy = MembershipFactory(
        organisation=world.organisation,
        role=Role.COMPLIANCE_MANAGER,
        user=UserFactory(email="deputy@acme.test", full_name="Deputy Zhou"),
    ).user
    approvers = {a.user: a for a in transaction_approvers(transaction=transaction)}
    assert not approvers[manager].may_approve and approvers[deputy].may_approve
    transaction_approve(transaction=transaction, user=deputy)


# --- stored sentences in the reader's language ----------------------------------------------


def test_review_trail_sentences_render_in_the_readers_language(world):
    with translation.override("zh-hans"):
        transaction = _approved(world)
        transaction_update(
            transaction=transaction, user=world.users["staff"], destination_country="RU"
        )
    event = transaction.events.filter(kind=TransactionEvent.Kind.REOPENED).last()
    assert event.reason_code == "key_changed" and event.reason_params == {
        "fields": ["destination_country"]
    }
    transaction.refresh_from_db()
    with translation.override("en"):
        assert event.reason_text == "Key element changed after approval: destination."
        assert transaction.state_reason_text == event.reason_text
    approval = Approval.objects.get(transaction=transaction)
    with translation.override("en"):
        assert approval.superseded_reason_text.startswith("Key element changed")


def test_a_persons_own_reason_is_shown_as_written(world):
    transaction = clean_transaction(world)
    event = transaction.events.create(
        organisation=world.organisation, kind=TransactionEvent.Kind.HELD, reason="客户要求暂停"
    )
    assert event.reason_text == "客户要求暂停"


def test_shipment_day_is_not_a_key_change(world):
    transaction = _approved(world)
    transaction_update(
        transaction=transaction,
        user=world.users["staff"],
        planned_shipment_date=timezone.localdate() + datetime.timedelta(days=3),
        notes="By sea.",
    )
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED


# --- the page and the review record ----------------------------------------------------------


def test_who_can_approve_names_the_approvers_or_says_nobody_else_can(world):
    manager = world.users["manager"]
    transaction = clean_transaction(world, submit=False)
    transaction_submit(transaction=transaction, user=manager)
    content = world.client("manager").get(transaction.get_absolute_url()).content.decode()
    assert 'data-testid="no-approver"' in content
    assert reverse("accounts:member_invite") in content
    deputy = MembershipFactory(
        organisation=world.organisation,
        role=Role.COMPLIANCE_MANAGER,
        user=UserFactory(email="deputy@acme.test", full_name="Deputy Zhou"),
    ).user
    content = world.client("manager").get(transaction.get_absolute_url()).content.decode()
    assert 'data-testid="no-approver"' not in content
    able = content.split('data-testid="able-approvers"')[1].split("</p>")[0]
    assert str(deputy) in able and str(manager) not in able


def test_the_page_shows_a_change_allowed_within_the_licence(world):
    transaction = _approved(world, controlled=True)
    transaction_line_update(line=transaction.lines.get(), user=world.users["staff"], quantity=12)
    client = world.client("manager")
    client.cookies["django_language"] = "en"
    content = client.get(transaction.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content
    content = content.decode()
    amendments = content.split('data-testid="approval-amendments"')[1].split("</div>")[0]
    assert "quantity 12" in amendments


def _pdf_text(world, transaction):
    client = world.client("auditor")
    client.cookies["django_language"] = "en"
    response = client.get(
        reverse("transactions:transaction_pdf", args=[transaction.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_the_review_record_shows_the_frozen_evidence_and_later_screenings_apart(world):
    transaction = _approved(world)
    approval = Approval.objects.get(transaction=transaction)
    frozen_ids = {p["screening_id"] for p in approval.evidence["parties"]}
    buyer = transaction.parties.get(role=PartyRole.BUYER).party
    later = party_screen(party=buyer, user=world.users["manager"])
    assert later.pk not in frozen_ids
    text = _pdf_text(world, transaction)
    assert "After the approval" in text
    before, after = text.split("After the approval", 1)
    assert all(f"#{pk}" in before for pk in frozen_ids)
    assert f"#{later.pk}" not in before and f"#{later.pk}" in after
    chinese = world.client("auditor").get(
        reverse("transactions:transaction_pdf", args=[transaction.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert chinese.status_code == 200 and chinese["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        (
            "Key element changed after approval: destination, stated end use.",
            "key_changed",
            {"fields": ["destination_country", "end_use"]},
        ),
        ("批准后关键要素发生变化：目的地。", "key_changed", {"fields": ["destination_country"]}),
        ("已添加物项 Encoder ABS-4000。", "item_added", {"item": "Encoder ABS-4000"}),
        ("最终用户：已添加 ACME GmbH。", "party_added", {"role": "end_user", "party": "ACME GmbH"}),
        ("notes, stage", "changed", {"fields": ["notes", "stage"]}),
        (
            "Item Encoder changed: quantity 12, value 1.00 EUR.",
            "item_quantity_value_changed",
            {"item": "Encoder", "quantity": "12", "value": "1.00", "currency": "EUR"},
        ),
    ],
)
def test_sentences_written_before_codes_are_recognised(text, code, params):
    assert parse(text) == (code, params)
    with translation.override("en"):
        assert render(code, params) != ""


@pytest.mark.parametrize("text", ["客户要求暂停发货", "Customer asked to wait.", ""])
def test_a_persons_words_are_not_taken_for_a_system_sentence(text):
    assert parse(text) is None


def test_a_given_back_drawdown_says_why_in_the_readers_language(world):
    transaction = _approved(world, controlled=True)
    with translation.override("zh-hans"):
        transaction_update(
            transaction=transaction, user=world.users["staff"], destination_country="RU"
        )
    drawdown = LicenceDrawdown.objects.get(transaction=transaction)
    with translation.override("en"):
        assert drawdown.release_reason_text == ("Key element changed after approval: destination.")


def test_the_review_record_punctuates_in_the_readers_language(world):
    """The state and its reason, a flag's resolver and the resolution, and the two sentences of
    a walked path are punctuated in Chinese: "审核中：…", "王磊：…", "…；确认人 …" (never ": " or
    "; " between them); in English ": " and "; "."""
    transaction = clean_transaction(world)
    manager = world.users["manager"]
    now = timezone.now()
    type(transaction).objects.filter(pk=transaction.pk).update(
        state_reason="客户要求补充资料", state_reason_code=""
    )
    flag = transaction.red_flag_answers.order_by("pk")[0]
    type(flag).objects.filter(pk=flag.pk).update(
        resolution="已核实最终用户", resolved_by=manager, resolved_at=now
    )
    transaction.licence_paths.update(confirmed_by=manager, confirmed_at=now)

    def squeezed(text) -> str:
        # PDF text wraps anywhere (the names are random): compare without white space.
        return re.sub(r"\s+", "", str(text))

    def pdf(language):
        client = world.client("auditor")
        client.cookies["django_language"] = language
        response = client.get(
            reverse("transactions:transaction_pdf", args=[transaction.pk]),
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 200
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        return squeezed(text)

    chinese = pdf("zh-hans")
    with translation.override("zh-hans"):
        state = squeezed(transaction.get_state_display())
    assert f"{state}：客户要求补充资料" in chinese
    assert f"{squeezed(manager)}：已核实最终用户" in chinese
    assert "；确认人" in chinese
    assert ":客户" not in chinese and ":已核实" not in chinese and ";确认人" not in chinese
    english = pdf("en")
    with translation.override("en"):
        state = squeezed(transaction.get_state_display())
    assert f"{state}:客户要求补充资料" in english
    assert f"{squeezed(manager)}:已核实最终用户" in english
    assert ";confirmedby" in english
