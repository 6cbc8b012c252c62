"""What a bulk write of a regulated record records (the guards are in core/guards.py).

A bulk update that changed a field the history tracks writes, for each record it changed, the
history row a save() would have written; django-simple-history's `post_create_historical_record`
then logs it (records/signals.py `log_history`), in the same transaction. A bulk create writes
each record's creation the same way. Records written once and never changed (screenings, hit
decisions, list imports) log their creation and refuse a bulk update.
"""

import weakref

from django.db.models.signals import post_save
from simple_history.models import HistoricalRecords

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


def history_created(model, objects, *, using) -> None:
    records = historical_records(model)
    for instance in objects:
        records.create_historical_record(instance, "+", using=using)


def history_changed(model, before: dict, *, using) -> None:
    records = historical_records(model)
    attnames = watched_attnames(model)
    for instance in model._base_manager.using(using).filter(pk__in=before).order_by("pk"):
        if tuple(getattr(instance, name) for name in attnames) != before[instance.pk]:
            records.create_historical_record(instance, "~", using=using)


def write_logged_created(model, objects, *, using) -> None:
    from records.signals import log_write

    for instance in objects:
        log_write(sender=model, instance=instance, created=True)


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
