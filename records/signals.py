"""Receivers that feed the event log and the retention index from record changes.

The project keeps workflows out of signals. These two are the exception on purpose: the event
log and the retention index are cross-cutting records of *every* regulated record, and asking
each of a dozen services to remember to log every save would leave gaps the law does not allow.
django-simple-history already writes a history row on each create, change and delete of a
record with `history = HistoricalRecords()`; its `post_create_historical_record` signal fires in
the same database transaction, so the log entry commits or rolls back with the change itself.
Approvals, downloads, holds and disposals are logged by explicit `event_log_append` calls in the
services that perform them.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models.signals import post_save, pre_delete
from django.utils.translation import gettext_lazy as _
from simple_history.signals import post_create_historical_record

from accounts.models import Organisation
from core.guards import guard_never_deleted
from records.models import Document
from records.services.eventlog import APPROVED_STATUSES, event_log_append
from records.services.retention import guard_pre_delete, retention_index_record
from records.subjects import retention_subject, retention_subjects

logger = logging.getLogger(__name__)

# Apps whose historical models hold regulated records.
LOGGED_APPS = {"icp", "screening", "trade", "audits", "records", "chambers", "notices", "providers"}
ACTIONS = {"+": "create", "~": "change", "-": "delete"}


def organisation_id_of(instance):
    """The organisation of a record, directly or through the record it belongs to."""
    organisation_id = getattr(instance, "organisation_id", None)
    if organisation_id is not None:
        return organisation_id
    for field in instance._meta.concrete_fields:
        if field.many_to_one and hasattr(field.related_model, "organisation_id"):
            parent = getattr(instance, field.name, None)
            if parent is not None and getattr(parent, "organisation_id", None):
                return parent.organisation_id
    return None


def _changes(history_instance) -> tuple[list[str], bool]:
    """The names of the fields this change touched, and whether it was an approval."""
    previous = history_instance.prev_record
    if previous is None:
        return [], False
    delta = history_instance.diff_against(previous)
    changed = sorted(change.field for change in delta.changes)
    approved = any(
        change.field in ("status", "state") and change.new in APPROVED_STATUSES
        for change in delta.changes
    ) or any(
        change.field in ("approved_at", "approved_by") and change.new for change in delta.changes
    )
    return changed, approved


def log_history(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    if instance._meta.app_label not in LOGGED_APPS:
        return
    organisation_id = organisation_id_of(instance)
    if organisation_id is None:
        return
    action = ACTIONS.get(history_instance.history_type, "change")
    details = {"history_id": history_instance.pk}
    if action == "change":
        changed, approved = _changes(history_instance)
        details["fields"] = changed
        if approved:
            action = "approve"
            status = getattr(instance, "status", None) or getattr(instance, "state", None)
            if status:
                details["status"] = str(status)

    event_log_append(
        organisation=Organisation(pk=organisation_id),
        actor=history_user or getattr(history_instance, "history_user", None),
        action=action,
        target=instance,
        details=details,
    )
    if action != "delete" and retention_subject(instance._meta.label_lower) is not None:
        retention_index_record(instance)


def _screening_details(instance) -> dict:
    return {"source": instance.source, "decision": instance.decision}


def _adjudication_details(instance) -> dict:
    return {"outcome": instance.outcome, "hit": instance.hit_id}


def _list_version_details(instance) -> dict:
    return {
        "list": instance.screening_list_id,
        "version": instance.number,
        "source": instance.source,
        "entities": instance.entity_count,
        **instance.change_counts,
    }


# Regulated records written once and kept without a simple-history history (screenings, hit
# decisions, list imports): each insert is logged from post_save, in the inserting transaction.
# label -> (the field naming who did it, the codes the entry keeps).
# The record's name is stored without translated labels (outcomes and decisions are in details).
WRITE_LOGGED: dict[str, tuple[str, Callable[[Any], dict], Callable[[Any], str]]] = {
    "screening.screening": ("requested_by", _screening_details, lambda i: i.query_name),
    "screening.adjudication": ("decided_by", _adjudication_details, lambda i: str(i.hit)),
    "screening.listversion": ("created_by", _list_version_details, str),
}


def write_log_event(model, instance) -> tuple[int | None, dict]:
    """The organisation and the event-log entry (``event_log_append`` arguments) of a
    write-logged record's creation; no organisation for installation-wide records."""
    actor_field, details, name = WRITE_LOGGED[model._meta.label_lower]
    event = {
        "actor": getattr(instance, actor_field, None),
        "action": "create",
        "target": instance,
        "object_repr": name(instance),
        "details": details(instance),
    }
    return organisation_id_of(instance), event


def log_write(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created:  # fixtures load as they are; these records are never changed
        return
    organisation_id, event = write_log_event(sender, instance)
    if organisation_id is None:
        return  # a public list's version: installation-wide, in no organisation's chain

    event_log_append(organisation=Organisation(pk=organisation_id), **event)


def connect() -> None:
    from records.models import DisposalRequest, LegalHold

    # Their delete() refuses; this refuses the queryset delete too (core/guards.py).
    guard_never_deleted(LegalHold, message=_("A legal hold is released, never deleted."))
    guard_never_deleted(DisposalRequest, message=_("A disposal request is part of the record."))
    for label in WRITE_LOGGED:
        post_save.connect(
            log_write, sender=apps.get_model(label), dispatch_uid=f"records.log_write.{label}"
        )
    post_create_historical_record.connect(log_history, dispatch_uid="records.log_history")
    # Bulk update / bulk_create of regulated records write history and log too (records/bulk.py).
    from records import bulk

    bulk.connect()
    pre_delete.connect(guard_pre_delete, sender=Document, dispatch_uid="records.guard.document")
    for subject in retention_subjects():
        pre_delete.connect(
            guard_pre_delete, sender=subject.model, dispatch_uid=f"records.guard.{subject.label}"
        )
