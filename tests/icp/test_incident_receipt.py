"""An anonymous reporter follows the report with a receipt code, without revealing who they are."""

import pytest
from django.urls import reverse

from icp.models import Incident, IncidentEvent
from icp.services.emergency import receipt_code_new, receipt_hash

pytestmark = pytest.mark.django_db


def _report_anonymously(world, persona="staff"):
    response = world.client(persona).post(
        reverse("icp:incident_report"),
        {
            "title": "Machines may go to another site",
            "description": "The customer's engineer said the encoders will be installed elsewhere.",
            "scenario": "end_use_changed",
            "anonymous": "on",
        },
    )
    assert response.status_code == 200
    return response.context["code"], Incident.objects.get(organisation=world.organisation)


def test_receipt_codes_are_long_random_and_stored_only_as_a_hash(world):
    codes = {receipt_code_new() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code.replace("-", "")) == 20 for code in codes)
    code, incident = _report_anonymously(world)
    assert incident.reported_by is None
    assert incident.receipt_hash == receipt_hash(code)
    assert code.replace("-", "") not in incident.receipt_hash
    # Spaces, lower case and missing dashes do not matter when the code is typed back.
    assert receipt_hash(code.lower().replace("-", " ")) == incident.receipt_hash
    assert not Incident.history.filter(id=incident.pk).exists()


def test_the_reporter_follows_status_and_replies_without_logging_in(world):
    code, incident = _report_anonymously(world)
    manager = world.client("manager")
    manager.post(
        reverse("icp:incident_note", args=[incident.pk]),
        {"text": "Internal: check the customer's other sites."},
    )
    manager.post(
        reverse("icp:incident_note", args=[incident.pk]),
        {"text": "Thank you, we are looking into it.", "to_reporter": "on"},
    )
    assert incident.events.filter(kind=IncidentEvent.Kind.REPLY).count() == 1

    anonymous = world.client("anonymous")
    page = anonymous.get(reverse("icp:incident_follow"))
    assert page.status_code == 200
    response = anonymous.post(reverse("icp:incident_follow"), {"code": code})
    html = response.content.decode()
    assert incident.reference in html
    assert "Reported" in html  # the status
    assert "Thank you, we are looking into it." in html
    assert "Internal: check" not in html
    assert "manager@acme.test" not in html


def test_a_wrong_code_finds_nothing(world):
    _report_anonymously(world)
    response = world.client("anonymous").post(
        reverse("icp:incident_follow"), {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"}
    )
    assert response.context["incident"] is None
    assert response.context["not_found"]
    response = world.client("anonymous").post(reverse("icp:incident_follow"), {"code": ""})
    assert response.context["incident"] is None


def test_a_named_report_gets_no_receipt(world):
    world.client("staff").post(
        reverse("icp:incident_report"),
        {"title": "Doubtful EUC", "description": "The stamp looks copied.", "scenario": "other"},
    )
    assert Incident.objects.get(organisation=world.organisation).receipt_hash == ""


def test_too_many_codes_tried_from_one_address_are_refused_with_429(world, settings):
    """The follow page needs no login: one client address may try a few codes an hour, no more,
    and the refusal says so in the reader's language without looking the code up."""
    import secrets

    code, incident = _report_anonymously(world)
    settings.ICP_INCIDENT_FOLLOW_PER_HOUR = 3
    # A fresh address of the documentation range: the count starts at zero on every run.
    address = f"2001:db8::{secrets.randbelow(0xFFFF):x}:{secrets.randbelow(0xFFFF):x}"
    anonymous = world.client("anonymous")
    url = reverse("icp:incident_follow")
    for _ in range(3):
        response = anonymous.post(url, {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"}, REMOTE_ADDR=address)
        assert response.status_code == 200
    response = anonymous.post(url, {"code": code}, REMOTE_ADDR=address)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many receipt codes were tried from your network" in html
    assert incident.reference not in html  # the right code, but not looked up
    # Another address is not affected.
    other = f"2001:db8:1::{secrets.randbelow(0xFFFF):x}:{secrets.randbelow(0xFFFF):x}"
    response = anonymous.post(url, {"code": code}, REMOTE_ADDR=other)
    assert response.status_code == 200
    assert incident.reference in response.content.decode()
    # Reading the page is not counted.
    assert anonymous.get(url, REMOTE_ADDR=address).status_code == 200
