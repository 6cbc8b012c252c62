from celery import shared_task

from .jobs import TRANSIENT_ERRORS, job_run, job_watchdog


@shared_task(
    name="core.run_job",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
)
def run_job(self, job_id: str) -> None:
    job_run(job_id=job_id)


@shared_task(name="core.job_watchdog", ignore_result=True, soft_time_limit=60, time_limit=90)
def job_watchdog_task() -> None:
    """Every minute (beat): jobs whose worker died are retried once, then failed."""
    job_watchdog()
