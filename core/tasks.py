import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

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


@shared_task(
    name="core.mail_send",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def mail_send(
    *,
    subject: str,
    body: str,
    recipients: list[str],
    from_email: str | None = None,
    html: str | None = None,
) -> None:
    """Send one message queued by `core.mail.mail_queue` (never called inside a request); a
    refused or unreachable mail server is retried with backoff."""
    message = EmailMultiAlternatives(subject, body, from_email, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
