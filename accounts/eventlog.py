"""Put changes of the accounts app's regulated records in the tamper-evident event log.

The organisation's details, its memberships (who held which role when) and its invitations are
regulated records: they keep a django-simple-history history, and every service (and admin
form) that changes one calls `log_history_event` in the same transaction, so the log entry
commits or rolls back with the change. records.signals logs the domain apps' history on its own;
the accounts app is logged explicitly, by the services that change it (as approvals, downloads
and holds are), so that rows made by fixtures and demo seeding outside any service are not
mistaken for people's actions. API tokens keep no history: their services log them
(accounts/tokens.py). The entry is written by the records app, which subscribes to
`accounts.signals.event_logged` (accounts imports no app above it).
"""

from .signals import event_log_publish

ACTIONS = {"+": "create", "~": "change", "-": "delete"}
# Fields whose old and new values the log keeps (codes, not translated labels).
VALUE_FIELDS = {"role", "is_active"}


def _organisation_id(instance):
    if instance._meta.label_lower == "accounts.organisation":
        return instance.pk
    return getattr(instance, "organisation_id", None)


def _record_repr(instance) -> str:
    """A name that reads the same in either language (no translated text stored)."""
    label = instance._meta.label_lower
    if label == "accounts.organisation":
        return " / ".join(filter(None, [instance.name_zh, instance.name_en]))
    if label == "accounts.membership":
        return instance.user.email
    return str(instance)


def log_history_event(instance, *, actor):
    """Log the latest history row of `instance` (just saved) with the fields it changed."""
    from .models import Organisation

    history = instance.history.order_by("-history_id").first()
    organisation_id = _organisation_id(instance)
    if history is None or organisation_id is None:
        return None
    action = ACTIONS.get(history.history_type, "change")
    details = {"history_id": history.pk}
    previous = history.prev_record if action == "change" else None
    if previous is not None:
        delta = history.diff_against(previous)
        details["fields"] = sorted(change.field for change in delta.changes)
        for change in delta.changes:
            if change.field in VALUE_FIELDS:
                details[change.field] = {"from": change.old, "to": change.new}
    elif action == "change":
        details["fields"] = []
    if instance._meta.label_lower == "accounts.membership":
        details.setdefault("role", instance.role)
    return event_log_publish(
        organisation=Organisation(pk=organisation_id),
        actor=actor,
        action=action,
        target=instance,
        object_repr=_record_repr(instance),
        details=details,
    )
