"""What a bulk write of a regulated record records (the guards are in core/guards.py).

A bulk update that changed a field the history tracks writes, for each record it changed, the
history row a save() would have written; django-simple-history's `post_create_historical_record`
then logs it (records/signals.py `log_history`), in the same transaction. A bulk create writes
each record's creation the same way. Records written once and never changed (screenings, hit
decisions, list imports) log their creation and refuse a bulk update.
"""

import weakref
from collections import defaultdict

from django.db.models.signals import post_save
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from core.guards import BulkWriteGuard, guard_bulk_writes, watched_attnames
from records.regulated import has_history, regulated_models

_HISTORICAL_RECORDS: dict[type, HistoricalRecords] = {}


def historical_records(model) -> HistoricalRecords:
    """The `HistoricalRecords()` declared on `model` (found through its post_save receiver)."""
    if model not in _HISTORICAL_RECORDS:
        for lookup_key, receiver, *_rest in post_save.receivers:
            if lookup_key[1] != id(model):
                continue
            if isinstance(receiver, weakref.ReferenceType):
                receiver = receiver()
            owner = getattr(receiver, "__self__", None)
            if isinstance(owner, HistoricalRecords):
                _HISTORICAL_RECORDS[model] = owner
                break
        else:
            raise LookupError(f"{model._meta.label} has no history")
    return _HISTORICAL_RECORDS[model]


def _history_rows(model, objects: list, *, update: bool) -> list:
    """The history rows a save() of each object would write, inserted in batches."""
    records = historical_records(model)
    history = getattr(model, model._meta.simple_history_manager_attribute)
    user = records.get_history_user(objects[0])
    return history.bulk_history_create(objects, update=update, default_user=user, batch_size=500)


def _one_by_one(model, objects: list, history_type: str) -> bool:
    """Models whose history rows carry many-to-many snapshots (which only the one-by-one path
    writes) take it; its signal logs each row. True when done so."""
    records = historical_records(model)
    if not records.m2m_fields:
        return False
    for instance in objects:
        records.create_historical_record(instance, history_type)
    return True


def _log(model, objects: list, rows: list, details_of) -> None:
    """One event-log entry per record, one batched append per organisation (fixed queries)."""
    from records.services.eventlog import event_log_append_many
    from records.services.retention import retention_index_record
    from records.subjects import retention_subject

    organisation_ids = _organisation_ids(model, objects)
    events = defaultdict(list)
    for instance, row in zip(objects, rows, strict=True):
        organisation_id = organisation_ids.get(instance.pk)
        if organisation_id is None:
            continue  # installation-wide (reference data): history only, as for a save()
        action, details = details_of(instance)
        events[organisation_id].append(
            {
                "action": action,
                "actor": row.history_user,
                "target": instance,
                "details": {"history_id": row.pk, **details},
            }
        )
    for organisation_id, entries in events.items():
        event_log_append_many(organisation=Organisation(pk=organisation_id), events=entries)
    if retention_subject(model._meta.label_lower) is not None:
        for instance in objects:
            retention_index_record(instance)


def _organisation_ids(model, objects: list) -> dict:
    """Each record's organisation, read through its parents in one query per relation."""
    if any(field.attname == "organisation_id" for field in model._meta.concrete_fields):
        return {instance.pk: instance.organisation_id for instance in objects}
    found: dict = {}
    for field in model._meta.concrete_fields:
        if not (field.many_to_one and hasattr(field.related_model, "organisation_id")):
            continue
        missing = [instance.pk for instance in objects if found.get(instance.pk) is None]
        if not missing:
            break
        rows = model._base_manager.filter(pk__in=missing).values_list(
            "pk", f"{field.name}__organisation_id"
        )
        found.update((pk, organisation_id) for pk, organisation_id in rows if organisation_id)
    return found


def history_created(model, objects, *, using) -> None:
    objects = list(objects)
    if objects and not _one_by_one(model, objects, "+"):
        _log(model, objects, _history_rows(model, objects, update=False), lambda i: ("create", {}))


def history_changed(model, before: dict, *, using) -> None:
    from records.services.eventlog import APPROVED_STATUSES

    attnames = watched_attnames(model)
    names = {field.attname: field.name for field in model._meta.concrete_fields}
    changed, fields_of = [], {}
    for instance in model._base_manager.using(using).filter(pk__in=before).order_by("pk"):
        after = tuple(getattr(instance, name) for name in attnames)
        delta = {
            names[name]: new
            for name, old, new in zip(attnames, before[instance.pk], after, strict=True)
            if old != new
        }
        if delta:
            changed.append(instance)
            fields_of[instance.pk] = delta
    if not changed or _one_by_one(model, changed, "~"):
        return

    def details(instance):
        delta = fields_of[instance.pk]
        approved = any(
            name in ("status", "state") and value in APPROVED_STATUSES
            for name, value in delta.items()
        ) or any(name in ("approved_at", "approved_by") and value for name, value in delta.items())
        details = {"fields": sorted(delta)}
        if not approved:
            return "change", details
        status = getattr(instance, "status", None) or getattr(instance, "state", None)
        if status:
            details["status"] = str(status)
        return "approve", details

    _log(model, changed, _history_rows(model, changed, update=True), details)


def write_logged_created(model, objects, *, using) -> None:
    """The entries ``log_write`` would append for each record, one batched append per
    organisation (one lock of the chain head, fixed queries however many records)."""
    from records.services.eventlog import event_log_append_many
    from records.signals import write_log_event

    events = defaultdict(list)
    for instance in objects:
        organisation_id, event = write_log_event(model, instance)
        if organisation_id is not None:
            events[organisation_id].append(event)
    for organisation_id, entries in events.items():
        event_log_append_many(organisation=Organisation(pk=organisation_id), events=entries)


def _untracked(model) -> frozenset:
    """The fields the history leaves out (caches): changing them in bulk records nothing."""
    tracked = {field.name for field in historical_records(model).fields_included(model)}
    names = set()
    for field in model._meta.concrete_fields:
        if field.name not in tracked:
            names |= {field.name, field.attname}
    return frozenset(names)


def connect() -> None:
    for model in regulated_models():
        if has_history(model):
            guard = BulkWriteGuard(
                created=history_created, changed=history_changed, unwatched=_untracked(model)
            )
        else:
            guard = BulkWriteGuard(
                created=write_logged_created,
                changed=None,
                unwatched=frozenset(),
                # Only code reaches this (no page offers a bulk change): said to the developer.
                message=f"{model._meta.label} is written once and never changed.",
            )
        guard_bulk_writes(model, guard)
