"""An anonymous concern in the browser: a member of staff reports anonymously and keeps the
receipt code, the compliance manager replies, and the reporter, logged out, follows the report
with the code alone."""

import pytest

from icp.models import Incident
from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_anonymous_reporter_follows_the_report_with_the_receipt_code(page, world):
    log_in(page, "staff@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/incidents/report/")
    page.fill("input[name=title]", "Encoders may go to another site")
    page.fill("textarea[name=description]", "The customer's engineer mentioned a second plant.")
    page.check("input[name=anonymous]")
    page.click("[data-testid=submit-report]")
    code = page.inner_text("[data-testid=receipt-code]").strip()
    assert len(code.replace("-", "")) == 20
    page.context.clear_cookies()

    incident = Incident.objects.get(organisation=world.organisation)
    assert incident.reported_by is None
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto(f"/incidents/{incident.pk}/")
    page.click("[data-bs-target='#p-note']")  # the investigation note panel opens
    page.fill("textarea[name=text]", "Thank you. We have stopped the shipment while we check.")
    page.check("input[name=to_reporter]")
    page.click("form[action$='/note/'] button[type=submit]")
    page.wait_for_selector("text=Reply added")
    page.context.clear_cookies()

    page.goto("/incidents/follow/")
    page.fill("input[name=code]", code.lower())
    page.click("[data-testid=follow-submit]")
    page.wait_for_selector("[data-testid=follow-report]")
    assert incident.reference in page.inner_text("[data-testid=follow-report]")
    assert page.inner_text("[data-testid=follow-status]") == "Reported"
    assert "stopped the shipment" in page.inner_text("[data-testid=follow-reply]")

    page.fill("input[name=code]", "AAAA-BBBB-CCCC-DDDD-EEEE")
    page.click("[data-testid=follow-submit]")
    page.wait_for_selector("[data-testid=follow-not-found]")
