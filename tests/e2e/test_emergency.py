"""Emergency measures in the browser, as the compliance manager lives them: a member of staff
reports a concern under their name; the compliance manager puts a response plan in place from
the template, opens the report, triages it, stops the shipment, records the investigation and
the corrective action, fills the Chinese report to MOFCOM from the record, records the report
and closes the incident. Then the incident page in Chinese."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from icp.models import Incident, IncidentEvent, ResponsePlan
from records.models import EventLogEntry
from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in
from trade.models import Transaction, TransactionState
from trade.services.transaction import transaction_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Encoders may end up in a missile workshop"
DESCRIPTION = "The distributor's engineer said the encoders will be fitted at a defence plant."


def _order(world) -> Transaction:
    return transaction_create(
        organisation=world.organisation,
        user=world.users["staff"],
        reference="SO-E2E-77",
        destination_country="TR",
        end_use="Encoders for packaging machines",
    )


def _report_as_staff(page) -> str:
    """Staff report the concern under their name; the reference they are given."""
    log_in(page, "staff@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/incidents/")
    page.click("[data-testid=report-concern]")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", DESCRIPTION)
    page.select_option("select[name=scenario]", "catch_all")
    page.click("[data-testid=submit-report]")
    message = page.locator(".alert-success").first.inner_text()
    found = re.search(r"Your report (INC-\d{4}-\d{3}) has reached the compliance team", message)
    assert found, message
    reference = found.group(1)
    # Back on the list: the reporter sees their own concern and where it stands.
    row = page.locator(f"[data-testid=incident-{reference}]")
    assert TITLE in row.inner_text()
    assert "Reported" in row.inner_text()
    page.context.clear_cookies()
    return reference


def _open_panel(page, name: str) -> None:
    """Open an accordion panel of the incident page and wait until Bootstrap's collapse
    transition has ended: a click on a form while its panel still moves can be lost."""
    page.click(f"[data-testid=panel-{name}]")
    page.wait_for_selector(f"#p-{name}.show")
    page.wait_for_function("!document.querySelector('.collapsing')")


def _form(page, action: str) -> str:
    return f"form[action$='/{action}/']"


def test_manager_takes_a_reported_concern_to_a_closed_incident(page, world, reference):
    order = _order(world)
    manager = world.users["manager"]
    incident_reference = _report_as_staff(page)
    incident = Incident.objects.get(organisation=world.organisation)
    assert incident.reported_by == world.users["staff"]

    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")

    # The response plan for this kind of concern, from the template.
    page.goto("/response-plans/")
    page.click("[data-testid=plan-from-template-catch_all]")
    page.wait_for_selector("text=Response plan created from the template.")
    plan_title = page.inner_text("[data-testid=plan-title]")
    assert plan_title == "Catch-all concern to report: response plan"
    assert "Report to MOFCOM promptly" in page.inner_text("[data-testid=plan-steps]")
    plan = ResponsePlan.objects.get(organisation=world.organisation)
    page.click("a:has-text('Edit')")
    page.fill("textarea[name=contacts]", "Ms Chen, compliance manager, 138 0000 0000")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_selector("text=Response plan saved.")
    assert "138 0000 0000" in page.inner_text("[data-testid=plan-contacts]")
    page.goto("/response-plans/")
    templates = page.inner_text("[data-testid=plan-templates]")
    assert "Plan in place" in templates

    # The register: the new concern, then its page.
    page.goto("/incidents/")
    row = page.locator(f"[data-testid=incident-{incident_reference}]")
    assert "Reported" in row.inner_text()
    row.locator("a").first.click()
    assert page.inner_text("[data-testid=incident-title]") == f"{incident_reference} · {TITLE}"
    assert page.inner_text("[data-testid=incident-status]") == "Reported"
    assert "must be reported to MOFCOM" in page.inner_text("[data-testid=mofcom-status]")
    assert "Reported" in page.inner_text("[data-testid=timeline]")

    # Triage: severity, owner, the plan to follow.
    triage = _form(page, "triage")
    page.select_option(f"{triage} select[name=severity]", "high")
    page.select_option(f"{triage} select[name=owner]", str(manager.pk))
    page.select_option(f"{triage} select[name=response_plan]", str(plan.pk))
    page.click("[data-testid=triage-submit]")
    page.wait_for_selector("text=Incident triaged.")
    assert page.inner_text("[data-testid=incident-status]") == "Under investigation"
    assert page.inner_text("[data-testid=incident-severity]") == "High"
    assert "Hold the transaction; nothing ships" in page.inner_text("[data-testid=plan-steps]")
    timeline = page.inner_text("[data-testid=timeline]")
    assert f"Severity High, owner {manager}." in timeline
    assert "triaged" not in timeline  # the code, never shown

    # Stop the shipment: the linked order goes on hold.
    page.fill("#link-reference", "so-e2e-77")
    page.click("[data-testid=link-transaction]")
    page.wait_for_selector("text=Transaction SO-E2E-77 linked.")
    page.fill("#stop-reason", "Catch-all concern: nothing ships until MOFCOM has been told.")
    page.click("[data-testid=stop-shipment]")
    page.wait_for_selector("text=Shipment stopped: 1 transaction on hold.")
    assert "On hold" in page.inner_text("[data-testid=linked-SO-E2E-77]")
    order.refresh_from_db()
    assert order.state == TransactionState.ON_HOLD
    assert "Shipment stopped" in page.inner_text("[data-testid=timeline]")

    # The investigation note and the corrective action, done.
    _open_panel(page, "note")
    page.fill(f"{_form(page, 'note')} textarea[name=text]", "Called the distributor: confirmed.")
    page.click("[data-testid=note-submit]")
    page.wait_for_selector("text=Note added to the timeline.")
    assert "Called the distributor: confirmed." in page.inner_text("[data-testid=timeline]")

    due = timezone.localdate() + datetime.timedelta(days=7)
    action_form = _form(page, "actions")
    _open_panel(page, "action")
    page.fill(f"{action_form} textarea[name=description]", "Block the distributor in the ERP")
    page.select_option(f"{action_form} select[name=owner]", str(manager.pk))
    page.fill(f"{action_form} input[name=due_on]", due.isoformat())
    page.click("[data-testid=action-submit]")
    page.wait_for_selector("text=Corrective action added.")
    action = page.locator("[data-testid=action]")
    assert "Block the distributor in the ERP" in action.inner_text()
    assert "Block the distributor in the ERP (owner" in page.inner_text("[data-testid=timeline]")
    action.locator("input[name=note]").fill("Blocked on 7 Dec by IT")
    page.click("[data-testid=action-done]")
    page.wait_for_selector("text=Corrective action completed.")
    assert "Done" in page.inner_text("[data-testid=action]")

    # The report to MOFCOM, filled from the record in the company's voice.
    page.click("[data-testid=incident-letter]")
    assert "(catch-all)" in page.inner_text("[data-testid=letter-title]")
    letter_zh = page.inner_text("[data-testid=letter-zh]")
    assert "我司（艾克米精密机械有限公司）" in letter_zh
    assert f"事件编号 {incident_reference}" in letter_zh
    assert DESCRIPTION in letter_zh
    assert "二、涉及的交易：SO-E2E-77" in letter_zh
    assert "1. Block the distributor in the ERP：已于" in letter_zh
    assert "（Blocked on 7 Dec by IT）" in letter_zh
    assert "$" not in letter_zh  # no blank placeholder left
    letter_en = page.inner_text("[data-testid=letter-en]")
    assert "Acme Precision reports a situation named in Article 12(3)" in letter_en
    assert "Transactions concerned: SO-E2E-77" in letter_en
    page.go_back()

    _open_panel(page, "mofcom")
    mofcom = _form(page, "mofcom")
    page.fill(f"{mofcom} input[name=reference]", "MOFCOM-2026-0117")
    page.fill(f"{mofcom} textarea[name=content]", letter_zh)
    page.click("[data-testid=mofcom-submit]")
    page.wait_for_selector("text=The report to MOFCOM is recorded.")
    status = page.inner_text("[data-testid=mofcom-status]")
    assert "reported on" in status and "reference MOFCOM-2026-0117" in status
    assert "MOFCOM reference MOFCOM-2026-0117" in page.inner_text("[data-testid=timeline]")

    # Close with the outcome.
    _open_panel(page, "close")
    page.fill(f"{_form(page, 'close')} textarea[name=summary]", "Reported; distributor blocked.")
    page.click("[data-testid=close-submit]")
    page.wait_for_selector("text=Incident closed.")
    assert page.inner_text("[data-testid=incident-status]") == "Closed"
    assert "Reported; distributor blocked." in page.inner_text("[data-testid=incident-outcome]")
    assert page.locator("[data-testid=triage-submit]").count() == 0  # nothing left to change
    kinds = {kind for kind in IncidentEvent.Kind.values if kind != IncidentEvent.Kind.REPLY}
    timeline = page.inner_text("[data-testid=timeline]")
    for label in (
        "Triaged",
        "Shipment stopped",
        "Investigation note",
        "Corrective action added",
        "Corrective action completed",
        "Reported to MOFCOM",
        "Closed",
    ):
        assert label in timeline

    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert incident.closed_at is not None and incident.closed_by == manager
    assert incident.severity == Incident.Severity.HIGH and incident.response_plan == plan
    assert incident.mofcom_reference == "MOFCOM-2026-0117"
    assert incident.mofcom_reported_on == timezone.localdate()
    assert set(incident.events.values_list("kind", flat=True)) == kinds

    # The event log holds the incident's changes, with who made them.
    logged = EventLogEntry.objects.filter(
        organisation=world.organisation, record_type="icp.incident", object_id=str(incident.pk)
    )
    assert logged.filter(actor=manager).exists()
    page.goto("/records/event-log/")
    page.fill("input[name=q]", incident_reference)
    page.press("input[name=q]", "Enter")
    log_table = page.inner_text("table")
    assert incident_reference in log_table and str(manager) in log_table


def test_the_incident_page_in_chinese(page, world, reference):
    _order(world)
    incident_reference = _report_as_staff(page)
    incident = Incident.objects.get(organisation=world.organisation)

    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.click("[data-testid=language-switcher]")
    page.click("button[lang=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")

    page.goto("/incidents/")
    assert "Emergency measures" not in page.inner_text("[data-testid=incidents-title]")
    page.goto(incident.get_absolute_url())
    with translation.override("zh-hans"):
        reported = str(Incident.Status.REPORTED.label)
    assert page.inner_text("[data-testid=incident-status]") == reported
    triage = _form(page, "triage")
    page.select_option(f"{triage} select[name=severity]", "critical")
    page.click("[data-testid=triage-submit]")
    page.wait_for_selector("[data-testid=incident-severity]")
    checked = {
        "status": page.inner_text("[data-testid=incident-status]"),
        "severity": page.inner_text("[data-testid=incident-severity]"),
        "mofcom": page.inner_text("[data-testid=mofcom-status]"),
        "timeline": page.inner_text("[data-testid=timeline]"),
        "panels": " ".join(
            page.inner_text(f"[data-testid=panel-{name}]")
            for name in ("triage", "note", "mofcom", "action", "close")
        ),
        "letter": page.inner_text("[data-testid=incident-letter]"),
        "stop": page.inner_text("[data-testid=link-transaction]"),
    }
    # The letter page and the plan templates, in Chinese too.
    page.click("[data-testid=incident-letter]")
    checked["letter title"] = page.inner_text("[data-testid=letter-title]")
    assert "我司（艾克米精密机械有限公司）" in page.inner_text("[data-testid=letter-zh]")
    assert page.locator("[data-testid=letter-en]").count() == 0
    page.goto("/response-plans/")
    checked["plan templates"] = page.inner_text("[data-testid=plan-templates]")
    assert "兜底管控情形报告预案" in checked["plan templates"]
    # People's names (on the timeline) stay as they are; no English UI word may show.
    names = f"{world.users['manager']} {world.users['staff']}".split()
    for where, text in checked.items():
        english = re.findall(r"\b[A-Za-z]{3,}\b", text.replace(incident_reference, ""))
        english = [word for word in english if word not in names]
        assert not english, (where, english, text)
    assert "MOFCOM" not in checked["mofcom"] or "商务部" in checked["mofcom"]
