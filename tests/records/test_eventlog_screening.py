"""Screenings, hit decisions and list imports reach the event log (issue #18)."""

import pytest

from records.models import EventLogEntry
from records.services.eventlog import event_log_verify
from screening.models import Screening
from screening.services.screening import hit_adjudicate, screening_run
from tests.screening.conftest import private_list, public_list  # noqa: F401  (fixtures)
from tests.screening.factories import add_entity

pytestmark = pytest.mark.django_db


def _entries(organisation, record_type):
    return list(
        EventLogEntry.objects.filter(organisation=organisation, record_type=record_type).order_by(
            "sequence"
        )
    )


def test_screening_and_hit_decision_are_logged_with_who_and_codes(world, public_list):  # noqa: F811
    manager = world.users["manager"]
    screening = screening_run(
        organisation=world.organisation,
        names=["洛克希德·马丁公司"],
        country="US",
        source=Screening.Source.PAGE,
        user=manager,
    )
    [entry] = _entries(world.organisation, "screening.screening")
    assert (entry.action, entry.actor_id, entry.object_id) == (
        "create",
        manager.pk,
        str(screening.pk),
    )
    assert entry.details == {"source": "page", "decision": screening.decision}
    assert entry.object_repr == "洛克希德·马丁公司"

    hit = screening.hits.first()
    adjudication = hit_adjudicate(
        hit=hit,
        organisation=world.organisation,
        user=manager,
        outcome="true_match",
        reason="Same company.",
    )
    [decision] = _entries(world.organisation, "screening.adjudication")
    assert decision.object_id == str(adjudication.pk)
    assert decision.details == {"outcome": "true_match", "hit": hit.pk}
    assert decision.actor_id == manager.pk
    assert event_log_verify(organisation=world.organisation).ok


def test_an_in_house_list_import_is_logged_in_its_organisation_only(world, private_list):  # noqa: F811
    version = add_entity(private_list, "INH-2", "Blue Lotus Trading LLC", countries=["AE"])
    entries = _entries(world.organisation, "screening.listversion")
    assert entries[-1].object_id == str(version.pk)
    assert entries[-1].details["version"] == version.number
    assert entries[-1].details["added"] == 1
    assert not EventLogEntry.objects.filter(
        organisation=world.other_organisation, record_type="screening.listversion"
    ).exists()
