"""A party screened again the same day takes the results found earlier (shared by every
process), and never across a new list version, another day, threshold, organisation or engine."""

import datetime

import pytest
from django.utils import timezone

from screening.models import ScreeningSettings
from screening.services import screening as screening_service
from screening.services import search_cache
from screening.services.screening import screening_run
from tests.screening.factories import add_entity

pytestmark = pytest.mark.django_db

REAL_FINGERPRINT = search_cache.engine_fingerprint  # before the suite's per-test namespace


@pytest.fixture
def searches(monkeypatch):
    """The parties the engine is asked to search."""
    asked = []
    original = screening_service._search

    def counting(**kwargs):
        asked.append(kwargs["names"])
        return original(**kwargs)

    monkeypatch.setattr(screening_service, "_search", counting)
    return asked


def _screen(world, name="Lockheed Martin Corp", country="US"):
    return screening_run(
        organisation=world.organisation, names=[name], country=country, source="manual"
    )


def _hits(screening):
    return [(h.entity_key, h.score, h.decision, h.reasons) for h in screening.hits.all()]


def test_a_repeat_the_same_day_reuses_the_search_and_stores_its_own_record(
    world, public_list, searches
):
    first = _screen(world)
    second = _screen(world)
    assert searches == [["Lockheed Martin Corp"]]  # searched once
    assert second.pk != first.pk and second.decision == first.decision
    assert _hits(second) == _hits(first) and _hits(first)


def test_a_batch_searches_a_repeated_party_once(world, public_list, searches):
    queries = [screening_service.PartyQuery(["Lockheed Martin Corp"], "US") for _ in range(3)]
    screenings = screening_service.screenings_run(
        organisation=world.organisation, queries=queries, source="api"
    )
    assert len(searches) == 1
    assert len({s.pk for s in screenings}) == 3
    assert _hits(screenings[0]) and all(_hits(s) == _hits(screenings[0]) for s in screenings)


def test_a_new_list_version_is_searched(world, public_list, searches):
    _screen(world, name="Novatek Automation GmbH", country="DE")
    add_entity(public_list, "UEL-NV", "Novatek Automation GmbH", countries=["DE"])
    again = _screen(world, name="Novatek Automation GmbH", country="DE")
    assert len(searches) == 2
    assert [h.entity_key for h in again.hits.all()] == ["UEL-NV"]


def test_another_threshold_organisation_or_country_is_searched(world, public_list, searches):
    _screen(world)
    ScreeningSettings.objects.update_or_create(
        organisation=world.organisation, defaults={"threshold": 0.9}
    )
    _screen(world)
    _screen(world, country="CN")
    screening_run(
        organisation=world.other_organisation,
        names=["Lockheed Martin Corp"],
        country="US",
        source="manual",
    )
    assert len(searches) == 4


def test_the_key_holds_the_day_and_the_engine(monkeypatch):
    today = datetime.date(2026, 12, 7)
    arguments = dict(
        organisation_id=1,
        index_hashes=["b", "a"],
        names=["X"],
        country="CN",
        entity_type=None,
        threshold=0.85,
        today=today,
    )
    key = search_cache.search_key(**arguments)
    assert key == search_cache.search_key(**{**arguments, "index_hashes": ["a", "b"]})
    assert key != search_cache.search_key(**{**arguments, "today": today.replace(day=8)})
    monkeypatch.setattr(search_cache, "engine_fingerprint", lambda: "another engine")
    assert key != search_cache.search_key(**arguments)


def test_the_engine_fingerprint_follows_its_source():
    fingerprint = REAL_FINGERPRINT()
    assert len(fingerprint) == 64 and fingerprint == REAL_FINGERPRINT()


def test_results_are_kept_until_the_end_of_the_day(monkeypatch):
    kept = {}
    monkeypatch.setattr(
        search_cache.default_cache, "set_many", lambda values, timeout: kept.update(t=timeout)
    )
    today = timezone.localdate()
    search_cache.search_results_put({"k": []}, today=today)
    assert 0 < kept["t"] <= 24 * 3600
    kept.clear()
    search_cache.search_results_put({}, today=today)
    assert kept == {}
