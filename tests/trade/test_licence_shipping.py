"""The licence or export voucher on the shipment date, and an export voucher whose condition no
longer holds (REGS Arts. 18(1) and 19(3))."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from icp.models import Incident
from icp.models.emergency import Scenario
from tests.trade.factories_transactions import (
    attach_euc,
    classified_item,
    clean_transaction,
    controlled_transaction,
    make_licence,
    walk_paths,
)
from trade.models import Licence, PartyRole, TransactionState
from trade.services.licence import (
    post_shipment_duty_complete,
    post_shipment_overdue_count,
    voucher_condition_lapsed,
)
from trade.services.transaction import (
    transaction_approve,
    transaction_mark_shipped,
    transaction_submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference", "public_list")]


def _approved(world):
    transaction = controlled_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction.refresh_from_db()
    return transaction


def test_an_expired_licence_blocks_the_shipment_with_a_clear_message(world):
    transaction = _approved(world)
    today = timezone.localdate()
    Licence.objects.filter(pk=transaction.licence_id).update(
        valid_until=today - datetime.timedelta(days=2)
    )
    transaction.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        transaction_mark_shipped(
            transaction=transaction, user=world.users["manager"], shipped_on=today
        )
    assert "expired on" in " ".join(error.value.messages)
    transaction.refresh_from_db()
    assert transaction.shipped_on is None
    # A shipment that left while the licence was in force is recorded.
    shipped = today - datetime.timedelta(days=3)
    transaction_mark_shipped(
        transaction=transaction, user=world.users["manager"], shipped_on=shipped
    )
    assert transaction.shipped_on == shipped


def test_a_suspended_licence_blocks_the_shipment(world):
    transaction = _approved(world)
    Licence.objects.filter(pk=transaction.licence_id).update(
        suspended_at=timezone.now(), suspended_reason="MOFCOM notice of 1 March"
    )
    transaction.refresh_from_db()
    with pytest.raises(ValidationError, match="suspended"):
        transaction_mark_shipped(
            transaction=transaction, user=world.users["manager"], shipped_on=timezone.localdate()
        )


def test_a_licence_used_up_by_others_blocks_the_shipment(world):
    transaction = _approved(world)  # draws 10 of 50
    Licence.objects.filter(pk=transaction.licence_id).update(quantity_limit=Decimal("5"))
    transaction.refresh_from_db()
    with pytest.raises(ValidationError, match="left"):
        transaction_mark_shipped(
            transaction=transaction, user=world.users["manager"], shipped_on=timezone.localdate()
        )


def _voucher_transaction(world):
    item = classified_item(world, listed=True)
    transaction = clean_transaction(world, submit=False, item=item, walk=False, reference="RR-1")
    end_user = transaction.parties.get(role=PartyRole.END_USER).party
    voucher = make_licence(
        world,
        items=[item],
        end_users=[end_user],
        kind="voucher",
        voucher_case="repair_return_inbound",
        quantity_limit=Decimal("10"),
        return_due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    (path,) = walk_paths(transaction, world.users["manager"], voucher_case="repair_return_inbound")
    assert path.outcome == "export_voucher"
    attach_euc(world, transaction)
    transaction_submit(transaction=transaction, user=world.users["staff"])
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction.refresh_from_db()
    return transaction, voucher


def test_a_voucher_whose_condition_no_longer_holds_opens_a_stop_and_report_incident(world):
    transaction, voucher = _voucher_transaction(world)
    assert transaction.state == TransactionState.APPROVED
    assert transaction.licence == voucher
    incident = voucher_condition_lapsed(
        licence=voucher,
        user=world.users["manager"],
        reason="The customer will not take the repaired unit back; it is to be resold in Dubai.",
    )
    voucher.refresh_from_db()
    transaction.refresh_from_db()
    assert voucher.suspended_at is not None
    assert isinstance(incident, Incident)
    assert incident.scenario == Scenario.VOUCHER_NOT_APPLICABLE
    assert "Art. 19(3)" in incident.reporting_basis
    assert list(incident.transactions.all()) == [transaction]
    assert transaction.state == TransactionState.ON_HOLD
    with pytest.raises(ValidationError):
        voucher_condition_lapsed(
            licence=voucher, user=world.users["manager"], reason="again, twice"
        )


def test_the_hold_a_lapsed_voucher_puts_reads_in_the_reader_s_language(world):
    transaction, voucher = _voucher_transaction(world)
    with translation.override("zh-hans"):
        voucher_condition_lapsed(
            licence=voucher,
            user=world.users["manager"],
            reason="客户不再取回维修件，改为在迪拜转售。",
        )
    transaction.refresh_from_db()
    assert transaction.state_reason_code == "voucher_condition_lapsed"
    assert transaction.state_reason_params == {"number": str(voucher)}
    with translation.override("en"):
        assert transaction.state_reason_text == (
            f"Export voucher {voucher}: a condition no longer holds."
        )
    with translation.override("zh-hans"):
        assert transaction.state_reason_text.startswith(f"出口凭证 {voucher}")
    page = world.client("manager").get(transaction.get_absolute_url()).content.decode()
    assert f"Export voucher {voucher}: a condition no longer holds." in page


def test_the_lapse_form_keeps_the_reason_typed_on_a_refusal(world):
    licence = make_licence(
        world,
        items=[classified_item(world, listed=True)],
        kind="voucher",
        voucher_case="exhibition_abroad",
    )
    client = world.client("manager")
    response = client.post(
        reverse("transactions:voucher_lapsed", args=[licence.pk]), {"reason": "Resold"}
    )
    assert response.status_code == 200
    assert ">Resold</textarea>" in response.content.decode()
    licence.refresh_from_db()
    assert licence.suspended_at is None


def test_a_shipped_licensed_line_creates_its_article_18_reports(world):
    transaction = controlled_transaction(world)
    Licence.objects.filter(pk=transaction.licence_id).update(
        report_duties=["actual_shipment", "arrival", "installation", "use"],
        report_within_days=30,
    )
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction.refresh_from_db()
    shipped = timezone.localdate() - datetime.timedelta(days=40)
    Licence.objects.filter(pk=transaction.licence_id).update(
        valid_from=shipped - datetime.timedelta(days=1)
    )
    transaction.refresh_from_db()
    transaction_mark_shipped(
        transaction=transaction, user=world.users["manager"], shipped_on=shipped
    )
    duties = list(transaction.post_shipment_duties.order_by("kind"))
    assert {d.kind for d in duties} == {"actual_shipment", "arrival", "installation", "use"}
    assert all(d.due_on == shipped + datetime.timedelta(days=30) for d in duties)
    assert post_shipment_overdue_count(organisation=world.organisation) == 4
    with pytest.raises(ValidationError):
        post_shipment_duty_complete(duty=duties[0], user=world.users["manager"], evidence_note="ok")
    post_shipment_duty_complete(
        duty=duties[0],
        user=world.users["manager"],
        evidence_note="Arrival reported to MOFCOM on the platform; receipt attached.",
    )
    assert post_shipment_overdue_count(organisation=world.organisation) == 3
    page = world.client("manager").get(reverse("transactions:queue"))
    assert 'data-testid="reports-overdue"' in page.content.decode()
