"""The incident timeline stores what the system says as a code and its parameters and shows it in
the reader's language; rows written before as sentences (in either language) are recognised."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from icp.models import Incident, IncidentEvent, Scenario
from icp.models.emergency import incident_event_parse, incident_event_text
from icp.services import emergency as services
from trade.services.transaction import transaction_create

pytestmark = pytest.mark.django_db


def _membership(world, persona):
    return world.users[persona].memberships.get(organisation=world.organisation)


def _timeline_written_in_chinese(world):
    manager = _membership(world, "manager")
    with translation.override("zh-hans"):
        incident = services.incident_report(
            membership=_membership(world, "staff"),
            title="CNC 2026",
            description="CNC 2026",
            scenario=Scenario.END_USE_CHANGED,
            anonymous=True,
        )
        services.incident_triage(
            membership=manager,
            incident=incident,
            severity=Incident.Severity.HIGH,
            scenario=incident.scenario,
            owner=world.users["manager"],
            response_plan=None,
        )
        services.incident_add_action(
            membership=manager,
            incident=incident,
            description="CNC-7",
            owner=world.users["manager"],
            due_on=datetime.date(2026, 12, 31),
        )
        services.incident_record_mofcom_report(
            membership=manager,
            incident=incident,
            reported_on=datetime.date(2026, 12, 1),
            reference="MOFCOM-77",
            content="CNC",
        )
    return incident


def test_timeline_written_in_chinese_reads_in_english(world):
    incident = _timeline_written_in_chinese(world)
    events = list(incident.events.order_by("pk"))
    assert [e.code for e in events] == [
        "reported_anonymously",
        "triaged",
        "action_added",
        "mofcom_reported",
    ]
    assert events[1].params["severity"] == "high"
    assert all(e.text == "" for e in events)
    html = (
        world.client("manager")
        .get(reverse("icp:incident_detail", args=[incident.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Reported anonymously." in html
    assert "Severity High, owner" in html
    assert "MOFCOM reference MOFCOM-77" in html
    assert "匿名" not in html and "严重程度" not in html
    with translation.override("zh-hans"):
        assert events[1].display_text.startswith("严重程度：高")


def test_a_person_s_note_stays_as_written(world):
    incident = _timeline_written_in_chinese(world)
    event = services.incident_add_note(
        membership=_membership(world, "manager"), incident=incident, text="客户已回复。"
    )
    with translation.override("en"):
        assert event.display_text == "客户已回复。"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_sentences_written_before_codes_are_recognised_in_either_language(world, language):
    with translation.override(language):
        anonymous = translation.gettext("Reported anonymously.")
        triaged = translation.gettext("Severity %(severity)s, owner %(owner)s.") % {
            "severity": Incident.Severity.CRITICAL.label,
            "owner": "王 芳",
        }
        linked = translation.gettext("Linked transaction %(reference)s.") % {"reference": "SO-9"}
    assert incident_event_parse(anonymous) == ("reported_anonymously", {})
    assert incident_event_parse(triaged) == (
        "triaged",
        {"severity": "critical", "owner": "王 芳"},
    )
    assert incident_event_parse(linked) == ("transaction_linked", {"reference": "SO-9"})
    assert incident_event_parse("The customer called back.") is None
    other = "zh-hans" if language == "en" else "en"
    with translation.override(other):
        assert incident_event_text(*incident_event_parse(triaged)) != triaged


def test_the_migration_converts_old_sentences_and_keeps_a_person_s_words(world):
    incident = _timeline_written_in_chinese(world)
    old = IncidentEvent.objects.create(
        incident=incident, kind=IncidentEvent.Kind.NOTE, text="已关联交易 SO-1。"
    )
    own = IncidentEvent.objects.create(
        incident=incident, kind=IncidentEvent.Kind.NOTE, text="客户已回复。"
    )
    migration = importlib.import_module("icp.migrations.0015_incident_event_text_codes")
    migration.sentences_to_codes(django_apps, None)
    old.refresh_from_db()
    own.refresh_from_db()
    assert (old.code, old.params, old.text) == (
        "transaction_linked",
        {"reference": "SO-1"},
        "",
    )
    assert (own.code, own.text) == ("", "客户已回复。")
    with translation.override("en"):
        assert old.display_text == "Linked transaction SO-1."


def test_linking_a_transaction_is_stored_as_a_code(world):
    incident = _timeline_written_in_chinese(world)
    transaction = transaction_create(
        organisation=world.organisation,
        user=world.users["staff"],
        reference="SO-2026-0042",
        destination_country="DE",
        end_use="CNC",
    )
    with translation.override("zh-hans"):
        services.incident_link_transaction(
            membership=_membership(world, "manager"),
            incident=incident,
            reference=transaction.reference,
        )
    event = incident.events.get(code="transaction_linked")
    with translation.override("en"):
        assert event.display_text == f"Linked transaction {transaction.reference}."
