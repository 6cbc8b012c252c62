"""Feed the event log from the history of the accounts app's regulated records.

records.signals logs the history of the domain apps; the organisation's details, its
memberships (who held which role when) and its invitations are regulated records too, so their
history rows reach the same tamper-evident log here, in the same transaction as the change. API
tokens are logged by their services (accounts/tokens.py): they keep no history.
"""

from simple_history.signals import post_create_historical_record

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


def log_accounts_history(sender, instance, history_instance, history_user=None, **kwargs):
    if instance._meta.label_lower not in LOGGED_MODELS:
        return
    organisation_id = _organisation_id(instance)
    if organisation_id is None:
        return
    from records.services.eventlog import event_log_append

    from .models import Organisation

    action = ACTIONS.get(history_instance.history_type, "change")
    details = {"history_id": history_instance.pk}
    previous = history_instance.prev_record if action == "change" else None
    if previous is not None:
        delta = history_instance.diff_against(previous)
        details["fields"] = sorted(change.field for change in delta.changes)
        for change in delta.changes:
            if change.field in VALUE_FIELDS:
                details[change.field] = {"from": change.old, "to": change.new}
    elif action == "change":
        details["fields"] = []
    if instance._meta.label_lower == "accounts.membership" and action == "create":
        details["role"] = instance.role
    event_log_append(
        organisation=Organisation(pk=organisation_id),
        actor=history_user or getattr(history_instance, "history_user", None),
        action=action,
        target=instance,
        object_repr=_record_repr(instance),
        details=details,
    )


LOGGED_MODELS = {"accounts.organisation", "accounts.membership", "accounts.invitation"}


def connect() -> None:
    post_create_historical_record.connect(
        log_accounts_history, dispatch_uid="accounts.log_accounts_history"
    )
