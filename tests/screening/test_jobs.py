import pytest
from django.core import mail

from core.jobs import job_run
from core.models import Job
from screening.jobs import RESCREEN_KIND, rescreen_enqueue, rescreen_enqueue_for_version
from screening.models import Screening, ScreeningStatus
from tests.screening.factories import add_entity
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db


def test_rescreen_job_screens_every_active_party_once_even_when_run_twice(world, public_list):
    parties = [PartyFactory(organisation=world.organisation) for _ in range(3)]
    PartyFactory(organisation=world.organisation, is_active=False)
    PartyFactory(organisation=world.other_organisation)
    job = Job.objects.create(
        kind=RESCREEN_KIND, organisation=world.organisation, params={"reason": "test"}
    )
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert job.result["screened"] == 3
    assert Screening.objects.filter(job=job).count() == 3
    # A redelivered message: the finished job is a no-op.
    job_run(job_id=job.pk)
    assert Screening.objects.filter(job=job).count() == 3
    # The handler itself, re-run for the same job (a crash after some parties), skips them.
    from screening.jobs import rescreen_parties

    rescreen_parties(job, lambda percent, step="": None)
    assert Screening.objects.filter(job=job).count() == 3
    for party in parties:
        party.refresh_from_db()
        assert party.screening_status == ScreeningStatus.CLEAR


def test_a_new_list_version_rescreens_and_flags_new_hits(
    world, public_list, django_capture_on_commit_callbacks
):
    party = PartyFactory(
        organisation=world.organisation, name="Saronic Technologies Inc.", country="US"
    )
    PartyFactory(organisation=world.other_organisation, name="Someone Else Ltd")
    with django_capture_on_commit_callbacks(execute=True):
        add_entity(public_list, "UEL-2025-9-01", "Saronic Technologies, Inc.", countries=["US"])
    jobs = Job.objects.filter(kind=RESCREEN_KIND)
    assert {job.organisation for job in jobs} == {world.organisation, world.other_organisation}
    assert all(job.status == Job.Status.SUCCEEDED for job in jobs)
    party.refresh_from_db()
    assert party.screening_status == ScreeningStatus.NEEDS_REVIEW
    assert len(mail.outbox) == 1 and "Saronic" in mail.outbox[0].body
    assert mail.outbox[0].to == ["manager@acme.test"]

    # The same hit on the next re-screen is not new: no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        rescreen_enqueue(organisation=world.organisation, reason="again")
    assert len(mail.outbox) == 1


def test_a_private_list_version_rescreens_only_its_organisation(world, private_list):
    PartyFactory(organisation=world.organisation)
    PartyFactory(organisation=world.other_organisation)
    jobs = rescreen_enqueue_for_version(version_id=private_list.current_version_id)
    assert [job.organisation for job in jobs] == [world.organisation]


def test_several_new_versions_in_one_transaction_start_one_rescreening(
    world, public_list, private_list, django_capture_on_commit_callbacks
):
    PartyFactory(organisation=world.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        add_entity(public_list, "X-1", "First New Entity Corporation", countries=["US"])
        add_entity(private_list, "X-2", "Second New Entity Trading", countries=["AE"])
    assert Job.objects.filter(kind=RESCREEN_KIND, organisation=world.organisation).count() == 1
