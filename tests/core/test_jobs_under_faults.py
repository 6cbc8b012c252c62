"""Jobs under faults (issue #18): broker down at enqueue, a worker killed, a soft time limit."""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone
from django.utils.translation import gettext_lazy, override
from kombu.exceptions import OperationalError as BrokerError

from config.celery import app as celery_app
from core.jobs import job_handler, job_retry, job_run, job_watchdog
from core.models import Job
from core.tasks import run_job
from tests.core.factories import JobFactory

pytestmark = pytest.mark.django_db


@job_handler("tests.slow")
def _slow_job(job, progress):
    progress(40, gettext_lazy("Laying out the pages"))
    raise SoftTimeLimitExceeded()


@pytest.fixture
def broker_down(monkeypatch):
    """A real (non-eager) send whose broker refuses the connection."""
    celery_app.conf.task_always_eager = False
    sent = []

    def refuse(*args, **kwargs):
        sent.append(args)
        raise BrokerError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(run_job, "apply_async", refuse)
    yield sent
    celery_app.conf.task_always_eager = True


def test_enqueue_while_the_broker_is_down_fails_the_job_with_a_retry_not_a_500(
    world, broker_down, django_capture_on_commit_callbacks
):
    from core.jobs import job_enqueue

    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="tests.echo", organisation=world.organisation)
    assert broker_down, "the job was handed to the broker"
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.failure == Job.Failure.ENQUEUE
    assert "Connection refused" in job.error  # the detail, for the administrator

    client = world.client("manager")
    page = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert "queue is not reachable" in html or "队列" in html
    assert 'action="/jobs/' in html and "/retry/" in html

    with override("en"):
        status = client.get(f"/jobs/{job.pk}/status.json").json()
    assert status["finished"] is True
    assert "queue is not reachable" in status["error"]


def test_retry_after_the_broker_is_back_runs_the_job(
    world, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    job = JobFactory(
        organisation=world.organisation,
        status=Job.Status.FAILED,
        failure=Job.Failure.ENQUEUE,
        params={"value": 3},
    )
    monkeypatch.undo()  # the broker is back
    celery_app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)
    job.refresh_from_db()
    assert (job.status, job.failure, job.result) == (Job.Status.SUCCEEDED, "", {"echo": 3})


def _running(organisation, *, minutes_silent, **fields):
    fields.setdefault("attempts", 1)
    return JobFactory(
        organisation=organisation,
        status=Job.Status.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_silent + 1),
        heartbeat_at=timezone.now() - timedelta(minutes=minutes_silent),
        **fields,
    )


def test_a_job_whose_worker_died_is_marked_stalled_and_retried_once(
    organisation, django_capture_on_commit_callbacks, settings
):
    settings.JOB_STALLED_AFTER_SECONDS = 300
    alive = _running(organisation, minutes_silent=1)
    dead = _running(organisation, minutes_silent=10, params={"value": 5}, max_attempts=1)

    celery_app.conf.task_always_eager = False  # see the stalled state before the retry runs
    try:
        counts = job_watchdog()
    finally:
        celery_app.conf.task_always_eager = True
    assert counts == {"stalled": 1, "failed": 0}
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert alive.status == Job.Status.RUNNING
    assert dead.status == Job.Status.STALLED
    assert dead.max_attempts == 2  # one more attempt, even though it had used its last

    # The watchdog sends it again: the retry runs and finishes the job.
    with django_capture_on_commit_callbacks(execute=True):
        job_watchdog(now=timezone.now() + timedelta(seconds=1))
        assert job_run(job_id=dead.pk) is not None
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.result) == (Job.Status.SUCCEEDED, 2, {"echo": 5})


def test_a_job_that_stalls_a_second_time_fails_with_the_reason(organisation):
    job = _running(organisation, minutes_silent=10, failure=Job.Failure.STALLED, attempts=2)
    assert job_watchdog() == {"stalled": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    with override("en"):
        assert "stopped responding" in job.error_display
    assert job_watchdog() == {"stalled": 0, "failed": 0}  # idempotent


def test_a_live_worker_keeps_its_job_when_the_message_is_delivered_twice(organisation):
    job = _running(organisation, minutes_silent=0)
    assert job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.RUNNING, 1)


def test_soft_time_limit_fails_the_job_saying_which_step_it_reached(organisation):
    job = JobFactory(organisation=organisation, kind="tests.slow")
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.failure == Job.Failure.TIME_LIMIT
    assert job.step == "Laying out the pages"  # stored as the msgid, not in the worker's language
    with override("en"):
        assert "time limit" in job.error_display
        assert "Laying out the pages" in job.error_display
    with override("zh-hans"):
        assert job.step_display != "Laying out the pages"
        assert job.step_display in job.error_display


def test_the_watchdog_runs_every_minute_from_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["core-job-watchdog"]
    assert schedule["task"] == "core.job_watchdog"
    assert schedule["schedule"] <= 60
    assert settings.CELERY_BROKER_CONNECTION_MAX_RETRIES is None
    assert settings.CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP is True


def _pending(organisation, *, minutes_old, **fields):
    """A job row whose request died before handing it to the broker (no message anywhere)."""
    job = JobFactory(organisation=organisation, status=Job.Status.PENDING, **fields)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_old))
    job.refresh_from_db()
    return job


def test_a_pending_job_never_handed_to_the_broker_is_sent_again_and_runs(
    organisation, django_capture_on_commit_callbacks, settings, monkeypatch
):
    settings.JOB_STALLED_AFTER_SECONDS = 300
    fresh = _pending(organisation, minutes_old=1)
    lost = _pending(organisation, minutes_old=10, params={"value": 7})
    sent = []
    monkeypatch.setattr(run_job, "apply_async", lambda args, **kw: sent.append(args[0]))
    celery_app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            counts = job_watchdog()
    finally:
        celery_app.conf.task_always_eager = True
    assert counts == {"stalled": 1, "failed": 0}
    assert sent == [str(lost.pk)]  # sent again; the young one may still be on its way
    fresh.refresh_from_db()
    lost.refresh_from_db()
    assert fresh.status == Job.Status.PENDING
    assert lost.status == Job.Status.STALLED
    assert job_watchdog() == {"stalled": 0, "failed": 0}  # idempotent: sent once, not each minute

    # The message arrives: the worker claims the job as it would a pending one.
    assert job_run(job_id=lost.pk) is not None
    lost.refresh_from_db()
    assert (lost.status, lost.attempts, lost.result) == (Job.Status.SUCCEEDED, 1, {"echo": 7})


def test_a_job_still_unclaimed_after_being_sent_again_fails_with_a_retry(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.JOB_STALLED_AFTER_SECONDS = 300
    job = _pending(world.organisation, minutes_old=10, params={"value": 2})
    monkeypatch.setattr(run_job, "apply_async", lambda *args, **kw: None)  # the message is lost
    celery_app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job_watchdog()
        assert job_watchdog(now=timezone.now() + timedelta(minutes=4)) == {
            "stalled": 0,
            "failed": 0,
        }
        assert job_watchdog(now=timezone.now() + timedelta(minutes=6)) == {
            "stalled": 0,
            "failed": 1,
        }
    finally:
        celery_app.conf.task_always_eager = True
    job.refresh_from_db()
    assert (job.status, job.failure) == (Job.Status.FAILED, Job.Failure.ENQUEUE)
    with override("en"):
        status = world.client("manager").get(f"/jobs/{job.pk}/status.json").json()
    assert status["finished"] is True and "queue is not reachable" in status["error"]

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)
    job.refresh_from_db()
    assert (job.status, job.result) == (Job.Status.SUCCEEDED, {"echo": 2})


def test_a_stalled_worker_job_that_is_never_claimed_again_fails_too(organisation, settings):
    settings.JOB_STALLED_AFTER_SECONDS = 300
    job = _running(organisation, minutes_silent=10)
    celery_app.conf.task_always_eager = False
    try:
        assert job_watchdog() == {"stalled": 1, "failed": 0}
        assert job_watchdog(now=timezone.now() + timedelta(minutes=6)) == {
            "stalled": 0,
            "failed": 1,
        }
    finally:
        celery_app.conf.task_always_eager = True
    job.refresh_from_db()
    assert (job.status, job.failure) == (Job.Status.FAILED, Job.Failure.STALLED)
