"""E-mail never leaves inside a web request: `core.mail.mail_queue` hands it to a Celery task once
the transaction commits, and the task retries a refused mail server. A scan keeps every app on
that road."""

import ast
import smtplib
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from accounts.models import Invitation
from core.mail import mail_queue
from core.tasks import mail_send
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts", "audits", "chambers", "core", "icp", "notices", "onboarding", "outreach",
    "providers", "records", "reference", "screening", "trade",
)  # fmt: skip
# The only modules that may send: the queue and its task, and the daily reminder digest, which
# runs in a Celery beat job (records.services.reminders.digest_send), never in a request.
ALLOWED = {"core/mail.py", "core/tasks.py", "records/services/reminders.py"}
SENDERS = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "send_messages",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
}


def mail_sends(source: str, filename: str) -> list[str]:
    """file:line of each import of a sender from django.core.mail and each call of one."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            if any(alias.name in SENDERS or alias.name == "*" for alias in node.names):
                found.append(f"{filename}:{node.lineno}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in SENDERS:
                found.append(f"{filename}:{node.lineno}")
    return found


class RefusingMailServer(BaseEmailBackend):
    attempts: list[list[str]] = []

    def send_messages(self, email_messages):
        RefusingMailServer.attempts.extend(list(message.to) for message in email_messages)
        raise smtplib.SMTPRecipientsRefused({})


def test_no_app_sends_mail_outside_the_queue():
    offences = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative not in ALLOWED:
                offences += mail_sends(path.read_text(encoding="utf-8"), relative)
    assert not offences, "send e-mail through core.mail.mail_queue, not in the request: " + str(
        offences
    )


def test_the_scan_finds_each_way_of_sending():
    source = (
        "from django.core.mail import EmailMessage, send_mail\n"
        "from django.core import mail\n"
        "send_mail('s', 'b', None, ['a@b.c'])\n"
        "mail.send_mail('s', 'b', None, ['a@b.c'])\n"
        "mail.get_connection().send_messages([])\n"
        "EmailMessage('s', 'b').send()\n"
    )
    assert mail_sends(source, "x.py") == [
        "x.py:1",
        "x.py:3",
        "x.py:4",
        "x.py:5",
        "x.py:5",
        "x.py:6",
    ]
    assert mail_sends("from django.core.mail import EmailMessage\n", "y.py") == ["y.py:1"]
    assert mail_sends("signal.send(sender=None)\n", "z.py") == []


@pytest.mark.django_db
def test_mail_is_sent_once_the_transaction_commits(settings, django_capture_on_commit_callbacks):
    settings.DEFAULT_FROM_EMAIL = "ICP <noreply@acme.test>"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert mail_queue(subject="S", body="B", recipients=["a@acme.test", ""], html="<p>B</p>")
        assert not mail.outbox
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert (message.subject, message.body, message.to) == ("S", "B", ["a@acme.test"])
    assert message.from_email == "ICP <noreply@acme.test>"
    assert message.alternatives[0][:2] == ("<p>B</p>", "text/html")


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back_or_nobody_is_addressed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert mail_queue(subject="S", body="B", recipients=["", None]) == 0
        with pytest.raises(RuntimeError), transaction.atomic():
            mail_queue(subject="S", body="B", recipients=["a@acme.test"])
            raise RuntimeError
    assert callbacks == [] and not mail.outbox


def test_the_task_retries_a_refused_or_unreachable_server_with_backoff():
    assert set(mail_send.autoretry_for) >= {smtplib.SMTPException, OSError}
    assert mail_send.retry_backoff and 3 <= mail_send.max_retries <= 6
    assert mail_send.acks_late


@pytest.mark.django_db
def test_an_invitation_is_saved_and_answered_when_the_mail_server_refuses(
    world, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    RefusingMailServer.attempts = []
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("manager").post(
            reverse("accounts:member_invite"),
            {"email": "li.na@acme.test", "role": "auditor", "job_title": ""},
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="li.na@acme.test").exists()
    assert RefusingMailServer.attempts == [["li.na@acme.test"]]  # tried, then left to retry
    assert "Retry in" in caplog.text


@pytest.mark.django_db
def test_a_password_reset_is_answered_when_the_mail_server_refuses(
    client, settings, django_capture_on_commit_callbacks, caplog
):
    """Django's own reset form sends inside the request; ours queues its e-mail."""
    UserFactory(email="chen@acme.test")
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    RefusingMailServer.attempts = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "chen@acme.test"})
    assert response.status_code == 302
    assert RefusingMailServer.attempts == [["chen@acme.test"]]  # tried, then left to retry
    assert "Retry in" in caplog.text
