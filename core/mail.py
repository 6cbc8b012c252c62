"""E-mail leaves through Celery, after the transaction commits, never inside a web request: a
slow mail server would add its delay to the request, and one that refuses would fail a request
whose rows are already stored (the client retries and does the work twice). The task
(`core.tasks.mail_send`) retries a refused or unreachable server with backoff."""

from django.db import transaction

from .tasks import mail_send


def mail_queue(
    *,
    subject: str,
    body: str,
    recipients: list[str],
    from_email: str | None = None,
    html: str | None = None,
) -> int:
    """Queue one message (plain text, HTML alternative if given) for after the commit; returns
    how many recipients it goes to. `from_email=None` is `DEFAULT_FROM_EMAIL`."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return 0

    def mail_send_enqueue() -> None:  # a function, not a partial: Django logs its __qualname__
        mail_send.delay(
            subject=subject, body=body, recipients=recipients, from_email=from_email, html=html
        )

    # robust: a broker that is down is logged, and never fails the request that committed.
    transaction.on_commit(mail_send_enqueue, robust=True)
    return len(recipients)


def mail_queued_receiver(
    sender, *, subject, body, recipients, from_email=None, html=None, **kwargs
):
    """`accounts.signals.mail_queued` (accounts is below core and cannot call `mail_queue`)."""
    return mail_queue(
        subject=subject, body=body, recipients=recipients, from_email=from_email, html=html
    )
