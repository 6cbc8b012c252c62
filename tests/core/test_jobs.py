import pytest
from django.db import OperationalError

from core.jobs import job_enqueue, job_handler, job_retry, job_run
from core.models import Job
from tests.core.factories import JobFactory

pytestmark = pytest.mark.django_db


@job_handler("tests.file")
def _file_job(job, progress):
    progress(10, "writing")
    return {"file": ("report.txt", b"hello"), "result_url": "/done/"}


_flaky_calls = {"n": 0}


@job_handler("tests.flaky")
def _flaky_job(job, progress):
    _flaky_calls["n"] += 1
    if _flaky_calls["n"] == 1:
        raise OperationalError("database is locked")
    return {"result": {"calls": _flaky_calls["n"]}}


def test_enqueued_job_runs_after_commit_and_records_its_result(
    organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="tests.echo", organisation=organisation, params={"value": 7})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress == 100
    assert job.result == {"echo": 7}
    assert job.attempts == 1
    assert job.finished_at is not None


def test_job_is_not_sent_before_its_transaction_commits(organisation):
    # Outside django_capture_on_commit_callbacks the test transaction never commits.
    job = job_enqueue(kind="tests.echo", organisation=organisation)
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING


def test_running_a_finished_job_again_changes_nothing(organisation):
    job = JobFactory(organisation=organisation, params={"value": 1})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    finished_at = job.finished_at
    assert job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.attempts, job.finished_at) == (1, finished_at)


def test_failure_is_recorded_with_its_message_and_can_be_retried(
    organisation, django_capture_on_commit_callbacks
):
    job = JobFactory(organisation=organisation, params={"fail": True})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "asked to fail" in job.error

    Job.objects.filter(pk=job.pk).update(params={"value": 2})
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.error == ""
    assert job.attempts == 2


def test_transient_error_propagates_for_a_retry_then_succeeds(organisation):
    _flaky_calls["n"] = 0
    job = JobFactory(organisation=organisation, kind="tests.flaky")
    with pytest.raises(OperationalError):
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING  # released: the retried task claims it again
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 2


def test_job_that_keeps_dying_is_marked_failed_instead_of_looping(organisation):
    job = JobFactory(
        organisation=organisation, status=Job.Status.RUNNING, attempts=3, max_attempts=3
    )
    assert job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.failure == Job.Failure.ATTEMPTS
    assert "3 attempts" in job.error


def test_result_file_is_stored_with_its_sha256(organisation):
    job = JobFactory(organisation=organisation, kind="tests.file")
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.result_file.read() == b"hello"
    assert job.result_sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert job.result_url == "/done/"


def test_unknown_kind_is_refused(organisation):
    with pytest.raises(ValueError):
        job_enqueue(kind="no.such.kind", organisation=organisation)


def test_job_status_json_reports_progress(world):
    job = JobFactory(organisation=world.organisation, created_by=world.users["manager"])
    data = world.client("manager").get(f"/jobs/{job.pk}/status.json").json()
    assert data["status"] == "pending"
    assert data["finished"] is False
    job_run(job_id=job.pk)
    data = world.client("manager").get(f"/jobs/{job.pk}/status.json").json()
    assert (data["status"], data["progress"], data["finished"]) == ("succeeded", 100, True)


def test_staff_sees_the_jobs_they_started(world):
    job = JobFactory(organisation=world.organisation, created_by=world.users["staff"])
    assert world.client("staff").get(job.get_absolute_url()).status_code == 200
