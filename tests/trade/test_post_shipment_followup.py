"""Reports after a licensed shipment (REGS Art. 18(1)) followed up: reminders in the notification
centre, the overdue count in the compliance manager's "for you" list and the queue filter it
links to, and the audit's facts on the sampled order."""

import datetime
import itertools

import pytest
from django.utils import timezone

from accounts.models import Membership
from audits.services.checklist import checklist_generate
from icp.selectors.for_you import for_you
from records.services.reminders import reminder_items
from tests.audits.factories import make_audit, transactions_bulk
from trade.models import Licence, PostShipmentDuty

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _licence(world, number="LIC-ART18"):
    today = timezone.localdate()
    return Licence.objects.create(
        organisation=world.organisation,
        number=number,
        kind="single",
        issued_on=today,
        valid_from=today,
        valid_until=today + datetime.timedelta(days=300),
        destinations=["DE"],
    )


def add_duties(world, transactions, *, days, kind="arrival", done=False, licence=None):
    """One report per transaction, due `days` from today (negative: overdue)."""
    licence = licence or _licence(world, number=f"LIC-ART18-{next(_numbers)}")
    due = timezone.localdate() + datetime.timedelta(days=days)
    return PostShipmentDuty.objects.bulk_create(
        [
            PostShipmentDuty(
                organisation=world.organisation,
                transaction=transaction,
                licence=licence,
                kind=kind,
                due_on=due,
                done_at=timezone.now() if done else None,
                done_by=world.users["manager"] if done else None,
            )
            for transaction in transactions
        ]
    )


def test_reports_due_within_a_week_and_overdue_ones_are_reminded_to_managers(world):
    late, soon, later, done = transactions_bulk(world, 4, prefix="R18")
    add_duties(world, [late], days=-3)
    add_duties(world, [soon], days=5, kind="installation")
    add_duties(world, [later], days=40)
    add_duties(world, [done], days=-10, done=True)
    items = [
        item
        for item in reminder_items(organisation=world.organisation, today=timezone.localdate())
        if item.kind == "post_shipment_report"
    ]
    assert sorted(item.key.rsplit(":", 1)[1] for item in items) == ["due", "overdue"]
    by_state = {item.key.rsplit(":", 1)[1]: item for item in items}
    overdue = by_state["overdue"].render("en")
    assert late.reference in overdue and "Arrival" in overdue and "was due on" in overdue
    assert "Installation" in by_state["due"].render("en")
    assert "实际" not in overdue
    # the kind of report is rendered in the reader's language (an existing string)
    assert "安装" in by_state["due"].render("zh-hans")
    assert all(item.roles == {"compliance_manager"} for item in items)
    assert by_state["overdue"].url.endswith(f"#report-{late.post_shipment_duties.get().pk}")


def test_the_overdue_reports_are_a_task_for_the_compliance_manager(world):
    transactions = transactions_bulk(world, 3, prefix="T18")
    add_duties(world, transactions[:2], days=-1)
    add_duties(world, transactions[2:], days=-1, done=True)
    membership = Membership.objects.get(
        organisation=world.organisation, user=world.users["manager"]
    )
    result = for_you(organisation=world.organisation, membership=membership, statuses=None)
    task = next(t for t in result.tasks if "report" in t.label)
    assert task.label.startswith("2 reports after shipment overdue")
    assert task.urgent
    page = world.client("manager").get(task.url)
    assert page.status_code == 200
    shown = [t.reference for t in page.context["object_list"]]
    assert sorted(shown) == sorted(t.reference for t in transactions[:2])


def test_no_task_when_every_report_is_made_or_not_yet_due(world):
    first, second = transactions_bulk(world, 2, prefix="N18")
    add_duties(world, [first], days=-1, done=True)
    add_duties(world, [second], days=3)
    membership = Membership.objects.get(
        organisation=world.organisation, user=world.users["manager"]
    )
    result = for_you(organisation=world.organisation, membership=membership, statuses=None)
    assert not [t for t in result.tasks if "after shipment" in t.label]


def test_the_audit_facts_show_each_report_made_or_overdue(world, reference):
    (txn,) = transactions_bulk(world, 1)
    licence = _licence(world)
    add_duties(world, [txn], days=-4, licence=licence)
    add_duties(world, [txn], days=-20, kind="actual_shipment", done=True, licence=licence)
    add_duties(world, [txn], days=10, kind="use", licence=licence)
    audit = make_audit(world, sample_size=1)
    checklist_generate(audit=audit)
    item = audit.items.get(transaction=txn, check_kind="licence")
    text = item.guidance_en
    assert "Report after shipment (Arrival)" in text and "not made, overdue" in text
    assert "Report after shipment (Actual shipment)" in text and ", made " in text
    assert "Report after shipment (Use)" in text and "not yet made" in text
    assert "实际出口运输" in item.guidance_zh  # the report's existing Chinese name
