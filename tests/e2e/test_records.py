"""Ms Chen puts a 2025 order under a MOFCOM inquiry hold, checks the event log, and sees her
reminders under the bell; Mr Liu approves a disposal of what has expired."""

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from icp.models import Incident
from records.models import DisposalRecord, LegalHold, Notification, RetainedRecord
from records.services.disposal import disposal_propose
from records.services.reminders import reminders_run
from records.services.retention import retention_refresh
from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in
from tests.icp.factories_emergency import IncidentActionFactory, IncidentFactory
from tests.records.factories import attach

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_holds_an_order_verifies_the_log_and_reads_reminders(page, world, reference):
    incident = IncidentFactory(
        organisation=world.organisation,
        reference="INC-2025-009",
        title="MOFCOM inquiry on order SO-2025-0042",
    )
    attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    IncidentActionFactory(
        incident=incident,
        owner=world.users["manager"],
        due_on=timezone.localdate() - relativedelta(days=2),
    )
    reminders_run()

    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=bell-count]")
    unread = Notification.objects.filter(user=world.users["manager"], read_at=None).count()
    assert unread >= 1  # the overdue action, and the missing risk assessment
    assert page.locator("[data-testid=bell-count]").inner_text().strip() == str(unread)

    page.goto("/records/holds/new/")
    page.select_option("select[name=kind]", "mofcom_inquiry")
    page.fill("input[name=reference]", "商务部函〔2026〕17号")
    page.fill("input[name=title]", "Inquiry on SO-2025-0042")
    page.click("button[type=submit].btn-danger")
    page.wait_for_selector("[data-testid=hold-status]")
    page.fill("#hold-q", "SO-2025-0042")
    page.click("form[role=search] button[type=submit]")
    page.click("text=Put these on hold")
    page.wait_for_selector("text=Records added to the hold.")
    held = set(LegalHold.objects.get().items.values_list("record_type", "object_id"))
    assert ("icp.incident", str(incident.pk)) in held

    page.goto("/records/retention/?state=on_hold")
    table = page.locator("[data-testid=retention-table]").inner_text()
    assert "MOFCOM inquiry on order SO-2025-0042" in table

    page.goto("/records/event-log/")
    page.click("[data-testid=verify-chain]")
    page.wait_for_selector("[data-testid=chain-ok]")

    page.click("[data-testid=notification-bell]")
    page.wait_for_selector("[data-testid=notifications]")
    assert "INC-2025-009" in page.locator("[data-testid=notifications]").inner_text()


def test_management_approves_a_disposal(page, world, reference):
    incident = IncidentFactory(organisation=world.organisation, title="Concern of 2019")
    Incident.objects.filter(pk=incident.pk).update(
        status="closed", closed_at=timezone.now() - relativedelta(years=6)
    )
    retention_refresh(organisation=world.organisation)
    record = RetainedRecord.objects.get(record_type="icp.incident")
    request = disposal_propose(
        membership=world.users["manager"].memberships.get(), items=[record], reason="Expired"
    )
    log_in(page, "executive@acme.test", TEST_PASSWORD)
    page.goto(f"/records/disposal/{request.pk}/")
    page.click("[data-testid=approve-disposal]")
    page.wait_for_selector("[data-testid=disposal-status]")
    assert DisposalRecord.objects.get().outcome == "destroyed"
    assert not Incident.objects.filter(pk=incident.pk).exists()
