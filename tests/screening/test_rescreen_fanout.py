"""Re-screening fans out in chunks under one job row with one progress bar, resumes after a
failure without screening anyone twice, and tells people what it covers and what it found."""

import pytest
from django.urls import reverse

from core.jobs import job_retry, job_run
from core.models import Job
from screening import jobs as rescreen_jobs
from screening.jobs import RESCREEN_KIND
from screening.models import Screening
from screening.services import rescreen as rescreen_service
from screening.tasks import rescreen_chunk
from tests.screening.factories import add_entity
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(rescreen_jobs, "CHUNK_SIZE", 2)


def _job(world):
    return Job.objects.create(
        kind=RESCREEN_KIND, organisation=world.organisation, params={"reason": "t"}
    )


def test_parties_are_screened_in_chunks_under_one_job(world, public_list, small_chunks):
    for number in range(5):
        PartyFactory(organisation=world.organisation, name=f"Ordinary Trading {number} Ltd")
    PartyFactory(organisation=world.organisation, name="Huawei Technologies Co., Ltd.")
    job = _job(world)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert job.params["chunks"] == 3 and job.params["total"] == 6
    assert job.result == {"parties": 6, "screened": 6, "new_hits": 1}
    assert job.result_url == reverse("screening:queue")
    assert job.step_display == "Finished: 1 new potential match needs a decision."
    assert Screening.objects.filter(job=job).count() == 6
    assert Job.objects.filter(kind=RESCREEN_KIND).count() == 1  # one row, one progress bar


def test_a_failed_chunk_fails_the_job_and_a_retry_screens_only_the_rest(
    world, public_list, small_chunks, monkeypatch
):
    parties = [PartyFactory(organisation=world.organisation) for _ in range(5)]
    real_rescreen = rescreen_service.parties_rescreen
    calls = []

    def flaky_rescreen(*, job, party_ids):
        calls.append(list(party_ids))
        if parties[3].pk in party_ids and len([c for c in calls if parties[3].pk in c]) == 1:
            raise RuntimeError("the worker lost its database")
        return real_rescreen(job=job, party_ids=party_ids)

    monkeypatch.setattr(rescreen_jobs, "parties_rescreen", flaky_rescreen)
    job = _job(world)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "lost its database" in job.error
    screened_before = set(Screening.objects.filter(job=job).values_list("party_id", flat=True))
    assert parties[3].pk not in screened_before and len(screened_before) < 5

    job_retry(job=job)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    screened = list(Screening.objects.filter(job=job).values_list("party_id", flat=True))
    assert sorted(screened) == sorted(p.pk for p in parties)  # each exactly once
    failed = next(i for i, chunk in enumerate(calls) if parties[3].pk in chunk)
    assert not ({pk for chunk in calls[failed + 1 :] for pk in chunk} & screened_before)


def test_a_chunk_of_an_earlier_attempt_does_nothing(world, public_list):
    party = PartyFactory(organisation=world.organisation)
    job = _job(world)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=2)
    assert rescreen_chunk.apply(args=[str(job.pk), 1, [party.pk]]).get() == 0
    assert not Screening.objects.exists()


def test_the_version_page_says_how_many_parties_and_then_what_was_found(
    world, public_list, django_capture_on_commit_callbacks
):
    PartyFactory(organisation=world.organisation, name="Saronic Technologies Inc.", country="US")
    PartyFactory(organisation=world.organisation, name="Plain Goods Ltd")
    with django_capture_on_commit_callbacks(execute=False):
        version = add_entity(public_list, "UEL-9", "Saronic Technologies, Inc.", countries=["US"])
        rescreen_jobs.rescreen_enqueue_for_version(version_id=version.pk)
    client = world.client("manager")
    job = Job.objects.get(kind=RESCREEN_KIND, organisation=world.organisation)
    page = client.get(version.get_absolute_url()).content.decode()
    assert "This change re-screens 2 parties in the background." in page
    assert job.get_absolute_url() in page
    job_run(job_id=job.pk)
    page = client.get(version.get_absolute_url()).content.decode()
    assert "Re-screening finished: new potential matches: 1." in page
    assert reverse("screening:queue") in page


def test_the_job_keeps_its_stored_kind_and_task_name_next_to_the_party_register():
    """The handler lives in screening/jobs.py; stored jobs and queued chunk messages still run."""
    from core.jobs import job_kind

    assert RESCREEN_KIND == "screening.rescreen_parties"
    assert job_kind(RESCREEN_KIND).handler is rescreen_jobs.rescreen_parties
    assert rescreen_chunk.name == "screening.rescreen_chunk"
