"""A chamber announces a training session, a member's employee registers, the chamber records
attendance after the session, and the employee downloads the certificate, which anyone can check
on the public certificate page."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from outreach.models import Event, Registration
from tests.accounts.factories import TEST_PASSWORD
from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_outreach_event_journey(page, browser, live_server, world, reference):
    chamber, _users = chamber_with_staff()
    ChamberMembershipFactory(organisation=chamber.organisation, member=world.organisation)
    log_in(page, "manager@chamber.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=outreach-panel]")
    page.goto("/chamber/events/")
    page.click("[data-testid=new-event]")

    # Registration closing after the start: a clear message, the title typed kept.
    page.select_option("select[name=kind]", "training")
    page.fill("input[name=title_zh]", "两用物项出口管制实务培训")
    page.fill("input[name=title_en]", "Dual-use export control in practice")
    page.fill("input[name=starts_at]", "2030-05-20T14:00")
    page.fill("input[name=duration_minutes]", "180")
    page.fill("input[name=place]", "商会三楼报告厅")
    page.fill("input[name=capacity]", "30")
    page.fill("input[name=registration_deadline]", "2030-05-21T17:00")
    page.click("[data-testid=event-save]")
    page.wait_for_selector(".invalid-feedback")
    assert page.input_value("input[name=title_zh]") == "两用物项出口管制实务培训"
    page.fill("input[name=registration_deadline]", "2030-05-18T17:00")
    page.click("[data-testid=event-save]")
    page.wait_for_selector(".alert-success")
    assert "2030-05-20 14:00" in page.locator("[data-testid=event-start]").inner_text()
    event = Event.objects.get(title_en="Dual-use export control in practice")

    # A member's employee finds it on the overview and registers.
    member = browser.new_context(
        locale="en-GB", base_url=live_server.url, reduced_motion="reduce"
    ).new_page()
    log_in(member, "staff@acme.test", TEST_PASSWORD)
    member.locator("[data-testid=outreach-panel] a", has_text="Dual-use export").click()
    member.click("[data-testid=register]")
    member.wait_for_selector("[data-testid=registered]")

    # The session takes place; the chamber records the attendance.
    start = timezone.now() - datetime.timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, registration_deadline=start - datetime.timedelta(days=1)
    )
    page.goto(f"/chamber/events/{event.pk}/")
    registrations = page.locator("[data-testid=registrations]").inner_text()
    assert "Acme Precision" in registrations
    page.check("input[name=attended]")
    page.click("[data-testid=attendance-save]")
    page.wait_for_selector(".alert-success")

    # The employee downloads the certificate; its verification code checks out publicly.
    member.goto(f"/events/{event.pk}/")
    certificate = member.get_attribute("[data-testid=certificate]", "href")
    response = member.request.get(certificate)
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Certificate of attendance" in text and "Dual-use export control in practice" in text
    code = Registration.objects.get(event=event).verification_code
    assert code in text
    path = f"/certificates/verify/{code}/"
    anonymous = browser.new_context(
        locale="en-GB", base_url=live_server.url, reduced_motion="reduce"
    ).new_page()
    anonymous.goto(path)
    assert anonymous.locator("[data-testid=certificate-valid]").is_visible()
