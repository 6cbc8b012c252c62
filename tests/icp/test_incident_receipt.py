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
