"""Events the accounts app publishes for the apps above it.

accounts is the bottom layer: it imports no other app of ours (see the import-linter contract in
pyproject.toml). What it must tell a higher app, it sends as a signal that app subscribes to in
its `AppConfig.ready()`.
"""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# An accounts record (organisation, membership, invitation, API token) changed in a way the
# tamper-evident event log keeps. Keyword arguments: those of
# `records.services.eventlog.event_log_append` (organisation, action, actor, target,
# object_repr, details). Sent inside the transaction of the change, so the log entry commits or
# rolls back with it; records subscribes (records/receivers.py) and returns the entry.
event_logged = Signal()


def event_log_publish(**event):
    """Send `event_logged` and return the entry the event log wrote. A regulated change must
    never go unlogged, so an installation without a subscriber fails loudly instead."""
    entries = [entry for _receiver, entry in event_logged.send(sender=None, **event) if entry]
    if not entries:
        raise ImproperlyConfigured("No app subscribes to accounts.signals.event_logged.")
    return entries[0]


# An e-mail that accounts sends (the invitation). Keyword arguments: those of
# `core.mail.mail_queue` (subject, body, recipients, from_email, html). core subscribes
# (core/apps.py) and sends it through Celery after the commit, never inside the request; the
# receiver returns the number of recipients.
mail_queued = Signal()


def mail_publish(**message) -> int:
    """Send `mail_queued`. An invitation whose e-mail nobody sends is lost, so an installation
    without a subscriber fails loudly instead."""
    results = mail_queued.send(sender=None, **message)
    if not results:
        raise ImproperlyConfigured("No app subscribes to accounts.signals.mail_queued.")
    return max(result for _receiver, result in results)
