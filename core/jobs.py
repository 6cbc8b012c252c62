"""Background jobs: registration, enqueueing and the idempotent run service.

A job kind is registered once with `@job_handler("kind")`. The handler receives the claimed `Job`
and a `progress(percent, step)` callback, and returns an optional dict with `result_url`, `result`
and `file` (a `(name, bytes)` pair stored with its SHA-256). The Celery task `core.run_job` is a
thin wrapper around `job_run`.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import roles as role_sets

from .models import Job

logger = logging.getLogger(__name__)

# Errors worth another attempt: the database or the network hiccuped, the job itself is fine.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class JobKind:
    handler: Callable
    queue: str
    roles: frozenset
    title: str


_KINDS: dict[str, JobKind] = {}


def job_handler(kind: str, *, title="", queue: str = "default", roles=role_sets.PROGRAMME_READERS):
    """Register the function that does the work of a job kind (who may see it: `roles`)."""

    def decorator(func):
        _KINDS[kind] = JobKind(handler=func, queue=queue, roles=frozenset(roles), title=title)
        return func

    return decorator


def job_kind(kind: str) -> JobKind:
    return _KINDS[kind]


def job_enqueue(*, kind: str, organisation=None, created_by=None, params=None) -> Job:
    """Create the job row and send it to the worker once the surrounding transaction commits."""
    if kind not in _KINDS:
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(
        kind=kind, organisation=organisation, created_by=created_by, params=params or {}
    )
    _send(job)
    return job


def job_retry(*, job: Job) -> Job:
    """Put a failed job back in the queue, keeping its history of attempts."""
    updated = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
        status=Job.Status.PENDING, error="", progress=0, step="", max_attempts=F("attempts") + 3
    )
    job.refresh_from_db()
    if updated:
        _send(job)
    return job


def _send(job: Job) -> None:
    from .tasks import run_job

    queue = _KINDS[job.kind].queue
    transaction.on_commit(lambda: run_job.apply_async(args=[str(job.pk)], queue=queue))


def _claim(job_id) -> Job | None:
    """Take the job for this attempt with a conditional update, or return None.

    A pending job is claimed normally. A running one is claimed again only when its message is
    redelivered, which the broker does after the worker that held it died (acks_late). The
    attempts counter makes the update optimistic: of two concurrent deliveries only one wins.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return None
    if job.attempts >= job.max_attempts:
        _finish_failed(job.pk, f"Gave up after {job.attempts} attempts.")
        return None
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
        status=Job.Status.RUNNING,
        attempts=job.attempts + 1,
        started_at=job.started_at or now,
        heartbeat_at=now,
    )
    if not claimed:
        return None
    job.refresh_from_db()
    return job


def _finish_failed(job_id, message: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, error=message[:5000], finished_at=timezone.now()
    )


def job_run(*, job_id) -> Job | None:
    """Run one attempt of a job. Idempotent: a finished or already-claimed job is left alone.

    Transient errors propagate (the task retries them) while attempts remain; any other error, or
    the last attempt, marks the job failed with its message.
    """
    job = _claim(job_id)
    if job is None:
        return None

    def progress(percent: int, step: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(
            progress=max(0, min(100, int(percent))), step=step[:200], heartbeat_at=timezone.now()
        )

    try:
        outcome = _KINDS[job.kind].handler(job, progress) or {}
    except TRANSIENT_ERRORS as exc:
        if job.attempts < job.max_attempts:
            logger.warning("job=%s kind=%s transient error, will retry: %s", job.pk, job.kind, exc)
            raise
        _finish_failed(job.pk, str(exc))
        return job
    except Exception as exc:  # the job must record any failure, whatever it is
        logger.exception("job=%s kind=%s failed", job.pk, job.kind)
        _finish_failed(job.pk, f"{type(exc).__name__}: {exc}")
        job.refresh_from_db()
        return job

    job.refresh_from_db()
    if "file" in outcome:
        name, content = outcome["file"]
        job.result_sha256 = hashlib.sha256(content).hexdigest()
        job.result_file.save(name, ContentFile(content), save=False)
    job.result = outcome.get("result", {})
    job.result_url = outcome.get("result_url", "")
    job.status = Job.Status.SUCCEEDED
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    return job
