"""What the records app does when a lower app publishes an event (connected in apps.py)."""

from records.services.eventlog import event_log_append


def accounts_event_logged(sender, **event):
    """An accounts record changed (accounts.signals.event_logged): append it to the event log,
    in the sender's transaction, and hand the entry back."""
    event.pop("signal", None)
    return event_log_append(**event)
