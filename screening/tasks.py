"""Celery tasks of the screening app: one chunk of a re-screening job (see screening/jobs.py).

The task keeps its registered name, `screening.rescreen_chunk`, so messages already queued
under that name still run.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from core.jobs import TRANSIENT_ERRORS
from core.models import Job

from .jobs import rescreen_chunk_run

logger = logging.getLogger(__name__)


@shared_task(
    name="screening.rescreen_chunk",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def rescreen_chunk(self, job_id: str, generation: int, party_ids: list[int]) -> int:
    try:
        return rescreen_chunk_run(job_id=job_id, generation=generation, party_ids=party_ids)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(120, 2**self.request.retries)) from exc
        _fail(job_id, generation, f"{type(exc).__name__}: {exc}", Job.Failure.ERROR)
    except SoftTimeLimitExceeded:
        _fail(job_id, generation, "", Job.Failure.TIME_LIMIT)
    except Exception as exc:  # the job must record any failure; a retry resumes it
        logger.exception("re-screening job=%s chunk failed", job_id)
        _fail(job_id, generation, f"{type(exc).__name__}: {exc}", Job.Failure.ERROR)
    return 0


def _fail(job_id, generation, message: str, failure: str) -> None:
    """Fail the job (its other chunks then stop); a retry screens only what is left."""
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, attempts=generation).update(
        status=Job.Status.FAILED,
        error=message[:5000],
        failure=failure,
        finished_at=timezone.now(),
    )
