"""Background jobs: registration, enqueueing and the idempotent run service.

A job kind is registered once with `@job_handler("kind")`. The handler receives the claimed `Job`
and a `progress(percent, step)` callback, and returns an optional dict with `result_url`, `result`
and `file` (a `(name, bytes or open binary file)` pair stored with its SHA-256, a file in
chunks), or `continues: True` when it handed the work to other tasks that will finish the job
themselves (see screening.jobs).
The Celery task `core.run_job` is a thin wrapper around `job_run`.
"""

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts import roles as role_sets

from .models import Job

logger = logging.getLogger(__name__)

# Errors worth another attempt: the database or the network hiccuped, the job itself is fine.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

ProgressCallback = Callable[[int, str], None]


def heartbeat_seconds() -> float:
    """How often a running job tells the database it is alive, whatever its handler does."""
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 30))


def stalled_after() -> timedelta:
    """A running job whose last heartbeat is older than this has lost its worker."""
    return timedelta(seconds=getattr(settings, "JOB_STALLED_AFTER_SECONDS", 5 * 60))


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
        status=Job.Status.PENDING,
        error="",
        failure="",
        progress=0,
        step="",
        max_attempts=F("attempts") + 3,
    )
    job.refresh_from_db()
    if updated:
        _send(job)
    return job


def _send(job: Job) -> None:
    job_id = str(job.pk)
    transaction.on_commit(lambda: job_dispatch(job_id=job_id))


def job_dispatch(*, job_id) -> bool:
    """Hand the job to the broker; when the broker cannot take it, fail the job with a reason.

    Called after the creating transaction commits. A broker that is down must not turn the
    user's request into a server error nor leave a job waiting forever: the job is marked failed
    with the "queue not reachable" reason, and its page offers a retry.
    """
    from .tasks import run_job

    job = Job.objects.filter(pk=job_id).only("kind").first()
    if job is None:
        return False
    queue = _KINDS[job.kind].queue
    if run_job.app.conf.task_always_eager:
        # Eager mode runs the job inline: its own errors are not the broker's.
        run_job.apply_async(args=[job_id], queue=queue)
        return True
    try:
        run_job.apply_async(args=[job_id], queue=queue)
    except Exception as exc:  # kombu raises several kinds when the broker is unreachable
        logger.error("job=%s kind=%s could not be enqueued: %s", job_id, job.kind, exc)
        Job.objects.filter(pk=job_id, status__in=[Job.Status.PENDING, Job.Status.STALLED]).update(
            status=Job.Status.FAILED,
            failure=Job.Failure.ENQUEUE,
            error=f"{type(exc).__name__}: {exc}"[:5000],
            finished_at=timezone.now(),
        )
        return False
    return True


def _claim(job_id) -> Job | None:
    """Take the job for this attempt with a conditional update, or return None.

    A pending job, or one the watchdog found stalled, is claimed normally. A running one is
    claimed again only when its message is redelivered after the worker that held it died
    (acks_late) and its heartbeat has gone stale; a job whose heartbeat is fresh belongs to a
    live worker. The attempts counter makes the update optimistic: of two concurrent deliveries
    only one wins.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return None
    now = timezone.now()
    if (
        job.status == Job.Status.RUNNING
        and job.heartbeat_at is not None
        and job.heartbeat_at > now - stalled_after()
    ):
        return None
    if job.attempts >= job.max_attempts:
        _finish_failed(
            job.pk, f"Gave up after {job.attempts} attempts.", failure=Job.Failure.ATTEMPTS
        )
        return None
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


def _finish_failed(job_id, message: str, *, failure: str = Job.Failure.ERROR) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, error=message[:5000], failure=failure, finished_at=timezone.now()
    )


class _Heartbeat:
    """A daemon thread that stamps `heartbeat_at` while the handler runs.

    A handler may spend minutes in one call (a PDF layout) without reporting progress; the
    heartbeat tells the watchdog the worker is alive all the same. When the worker process is
    killed, the thread dies with it and the heartbeat goes stale.
    """

    def __init__(self, job_id):
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True, name=f"job-{job_id}")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=5)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(heartbeat_seconds()):
                Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # a missed beat only risks a needless retry, never the job itself
            logger.warning("job=%s heartbeat failed", self.job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections


def job_watchdog(*, now=None) -> dict:
    """Deal with jobs that no worker is taking care of; returns the counts.

    - A running job whose heartbeat is older than `stalled_after()` lost its worker. The first
      time, it is marked stalled, given one more attempt and sent again; a job that stalls a
      second time is marked failed with that reason.
    - A pending job older than `stalled_after()` never reached a worker (the web process died
      between creating the row and handing it to the broker, or the message was lost). It is
      marked stalled and sent again once; claiming is idempotent, so a message that was merely
      late does no harm.
    - A stalled job that no worker has claimed within `stalled_after()` of being sent again is
      failed (a stalled worker keeps its reason; a job that never reached one gets the "queue
      not reachable" reason), so its page offers a retry instead of waiting forever.

    Idempotent: each change is a conditional update on what the watchdog saw, so a job that
    moved in between, or that another watchdog run already handled, is left alone.
    """
    now = now or timezone.now()
    limit = now - stalled_after()
    counts = {"stalled": 0, "failed": 0}
    stale = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=limit)
    for job in stale:
        unchanged = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at
        )
        if job.failure == Job.Failure.STALLED:
            if unchanged.update(
                status=Job.Status.FAILED, finished_at=now, error="", failure=Job.Failure.STALLED
            ):
                counts["failed"] += 1
                logger.error("job=%s kind=%s stalled twice: failed", job.pk, job.kind)
            continue
        if unchanged.update(
            status=Job.Status.STALLED,
            failure=Job.Failure.STALLED,
            max_attempts=max(job.max_attempts, job.attempts + 1),
            heartbeat_at=now,  # when it was sent again: the clock for the step below
        ):
            counts["stalled"] += 1
            logger.warning("job=%s kind=%s stalled: sent again", job.pk, job.kind)
            _send(job)
    # Never handed to a worker: sent again once.
    for job in Job.objects.filter(status=Job.Status.PENDING, created_at__lt=limit):
        if Job.objects.filter(pk=job.pk, status=Job.Status.PENDING, attempts=job.attempts).update(
            status=Job.Status.STALLED, failure=Job.Failure.ENQUEUE, heartbeat_at=now
        ):
            counts["stalled"] += 1
            logger.warning("job=%s kind=%s pending too long: sent again", job.pk, job.kind)
            _send(job)
    # Sent again, still not claimed: failed with a retry rather than waiting forever.
    unclaimed = Job.objects.filter(status=Job.Status.STALLED).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit)
    )
    for job in unclaimed:
        if Job.objects.filter(
            pk=job.pk, status=Job.Status.STALLED, heartbeat_at=job.heartbeat_at
        ).update(
            status=Job.Status.FAILED,
            finished_at=now,
            error="",
            failure=job.failure or Job.Failure.ENQUEUE,
        ):
            counts["failed"] += 1
            logger.error("job=%s kind=%s never claimed after a resend: failed", job.pk, job.kind)
    return counts


@dataclass(frozen=True)
class StepText:
    """A step with numbers in it: `ngettext_lazy(singular, plural, "count")` (or a lazy msgid)
    and its parameters, stored as msgids and parameters and shown in the reader's language."""

    text: object
    params: dict


def step_code(step) -> str:
    """What to store for a step: the English msgid of a lazy translation (shown later in the
    reader's language by `Job.step_display`), msgids and parameters as JSON for a `StepText`,
    or the text as given."""
    if isinstance(step, StepText):
        import json

        keywords = getattr(step.text, "_kw", None) or {}
        args = getattr(step.text, "_args", None) or ()
        coded = {
            "msgid": keywords.get("singular") or (args[0] if args else str(step.text)),
            "plural": keywords.get("plural", ""),
            "params": step.params,
        }
        stored = json.dumps(coded, ensure_ascii=False, separators=(",", ":"))
        if len(stored) <= 200:
            return stored
        return str(step.text % step.params)[:200]
    args = getattr(step, "_args", None)  # django.utils.functional.lazy proxies keep their args
    if args and len(args) == 1 and isinstance(args[0], str) and not getattr(step, "_kw", None):
        return args[0]
    return str(step)


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
            progress=max(0, min(100, int(percent))),
            step=step_code(step)[:200],
            heartbeat_at=timezone.now(),
        )

    try:
        with _Heartbeat(job.pk):
            outcome = _KINDS[job.kind].handler(job, progress) or {}
    except SoftTimeLimitExceeded:
        logger.error("job=%s kind=%s hit its soft time limit", job.pk, job.kind)
        _finish_failed(job.pk, "", failure=Job.Failure.TIME_LIMIT)
        job.refresh_from_db()
        return job
    except TRANSIENT_ERRORS as exc:
        if job.attempts < job.max_attempts:
            logger.warning("job=%s kind=%s transient error, will retry: %s", job.pk, job.kind, exc)
            # Give the claim back, so the retry claims it at once (the heartbeat is still fresh).
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.PENDING
            )
            raise
        _finish_failed(job.pk, str(exc))
        return job
    except Exception as exc:  # the job must record any failure, whatever it is
        logger.exception("job=%s kind=%s failed", job.pk, job.kind)
        _finish_failed(job.pk, f"{type(exc).__name__}: {exc}")
        job.refresh_from_db()
        return job

    job.refresh_from_db()
    if outcome.get("continues"):
        # The handler handed the work on to other tasks (a fan-out); they finish the job.
        return job
    if "file" in outcome:
        # The file as bytes, or (for a large artefact) an open binary file that is hashed and
        # saved to the storage in chunks, then closed.
        name, content = outcome["file"]
        upload = ContentFile(content) if isinstance(content, bytes) else File(content)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        job.result_sha256 = digest.hexdigest()
        try:
            job.result_file.save(name, upload, save=False)
        finally:
            upload.close()
    job.result = outcome.get("result", {})
    job.result_url = outcome.get("result_url", "")
    job.status = Job.Status.SUCCEEDED
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    return job
