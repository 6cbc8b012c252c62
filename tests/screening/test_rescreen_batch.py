"""A re-screening chunk is one batch (screening.services.rescreen): a fixed number of queries
however many parties it holds, and for each party exactly what screening it one by one records:
its screening in the event log, its badge and last screening, remembered decisions, new hits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job
from records.models import EventLogEntry
from records.services.eventlog import event_log_verify
from screening.jobs import RESCREEN_KIND, rescreen_chunk_run
from screening.models import HitDecision, Party, Screening, ScreeningStatus
from screening.services.parties import party_screen
from screening.services.rescreen import parties_rescreen
from screening.services.screening import hit_adjudicate, new_alert_hits
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db

LISTED = ("华为技术有限公司", "Lockheed Martin Corp.", "Gulf Horizon Trading LLC")


def _running_job(world, *, chunks=99):
    return Job.objects.create(
        kind=RESCREEN_KIND,
        organisation=world.organisation,
        status=Job.Status.RUNNING,
        attempts=1,
        params={"reason": "t", "total": 1000, "chunks": chunks},
        result={"chunks_done": 0, "new_hit_ids": []},
    )


def _parties(world, count, tag):
    """Half listed names (alerts), half unlisted (clear), as the benchmark's register."""
    return [
        PartyFactory(
            organisation=world.organisation,
            name=LISTED[n % len(LISTED)] if n % 2 == 0 else f"Plain {tag} Goods {n} Ltd",
            country="",
        )
        for n in range(count)
    ]


def _chunk_queries(world, parties) -> int:
    job = _running_job(world)
    with CaptureQueriesContext(connection) as captured:
        screened = rescreen_chunk_run(
            job_id=job.pk, generation=1, party_ids=[p.pk for p in parties]
        )
    assert screened == len(parties)
    return len(captured)


def test_the_queries_of_a_chunk_do_not_grow_with_its_parties(world, public_list, private_list):
    small = _chunk_queries(world, _parties(world, 6, "S"))
    large = _chunk_queries(world, _parties(world, 18, "L"))
    assert small == large, (small, large)


def test_a_chunk_records_what_one_by_one_screening_records(world, public_list, private_list):
    user = world.users["manager"]
    parties = _parties(world, 6, "E")
    parties.append(PartyFactory(organisation=world.organisation, name="Gulf Horizon Trading LLC"))
    # A false positive decided on the last party's earlier screening is remembered.
    earlier = party_screen(party=parties[-1], user=user)
    hit_adjudicate(
        hit=earlier.hits.exclude(decision=HitDecision.CLEAR).get(),
        organisation=world.organisation,
        user=user,
        outcome="false_positive",
        reason="Different company: Abu Dhabi mainland licence.",
    )
    job = _running_job(world)
    logged_before = EventLogEntry.objects.filter(
        organisation=world.organisation, record_type="screening.screening"
    ).count()

    outcome = parties_rescreen(job=job, party_ids=[p.pk for p in parties])

    screenings = {s.party_id: s for s in Screening.objects.filter(job=job)}
    assert outcome.screened == len(parties) == len(screenings)
    assert EventLogEntry.objects.filter(
        organisation=world.organisation, record_type="screening.screening"
    ).count() == logged_before + len(parties)
    assert event_log_verify(organisation=world.organisation).ok
    expected_new, statuses = [], []
    for party in parties:
        batch = screenings[party.pk]
        assert batch.source == Screening.Source.BATCH
        stored = Party.objects.get(pk=party.pk)
        assert stored.last_screening_id == batch.pk
        assert stored.last_screened_at == batch.created_at
        statuses.append(stored.screening_status)
        expected_new += [h.pk for h in new_alert_hits(batch)]
        # The same party screened one by one now: the same hits, decision and badge.
        alone = party_screen(party=stored)
        assert [(h.entity_key, h.decision, h.score) for h in batch.hits.all()] == [
            (h.entity_key, h.decision, h.score) for h in alone.hits.all()
        ]
        assert batch.decision == alone.decision
        assert Party.objects.get(pk=party.pk).screening_status == statuses[-1]
    assert sorted(outcome.new_hit_ids) == sorted(expected_new) and expected_new
    remembered = screenings[parties[-1].pk].hits.exclude(decision=HitDecision.CLEAR).get()
    assert remembered.remembered is not None
    assert statuses[:2] == [ScreeningStatus.NEEDS_REVIEW, ScreeningStatus.CLEAR]
    assert statuses[-1] == ScreeningStatus.CLEARED

    # Sent again (a lost worker), the chunk screens nobody twice.
    assert parties_rescreen(job=job, party_ids=[p.pk for p in parties]).screened == 0


def test_a_chunk_of_a_job_failed_meanwhile_keeps_nothing(world, public_list, monkeypatch):
    """Another chunk failed the job while this one was screening: its screenings are not kept,
    so the retry screens these parties and counts their new hits."""
    from screening import jobs as rescreen_jobs

    parties = _parties(world, 4, "F")
    job = _running_job(world)
    real = rescreen_jobs.parties_rescreen

    def failing_meanwhile(**kwargs):
        outcome = real(**kwargs)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
        return outcome

    monkeypatch.setattr(rescreen_jobs, "parties_rescreen", failing_meanwhile)
    assert rescreen_chunk_run(job_id=job.pk, generation=1, party_ids=[p.pk for p in parties]) == 0
    assert not Screening.objects.filter(job=job).exists()
