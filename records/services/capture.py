"""The reconcile: changes captured at the database that the application did not log.

Every change of a regulated table is captured by a trigger (records/capture.py), and every
event-log entry carries the database transaction and server session that wrote it. A captured
change is the application's own, already logged, when

1. its transaction wrote an event-log entry (a service in `transaction.atomic`: the record, its
   history row and its entry commit together), or
2. the same server session logged the same record afterwards, within `PAIRING_SECONDS`, one
   entry for one change (a save in autocommit: Django commits the row, then writes the history
   row and the entry in the next transactions of the same connection).

Every other change (a raw `UPDATE` from code, psql, another program, a restored table) becomes
an entry "created / changed / deleted directly in the database, outside the application", with
no user, the fields and values it changed, in the organisation's chain. Processed captures are
deleted. Changes younger than `SETTLE_SECONDS` wait for the next run, so an autocommit save is
never judged before its entry is written. Installation-wide records (no organisation) have no
chain: their captures are dropped, as the application does not log them either.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from records.capture import captured_tables
from records.models import DatabaseChange, EventLogEntry
from records.models.events import EventAction
from records.services.eventlog import event_log_append_many

SETTLE_SECONDS = 60
PAIRING_SECONDS = 60
BATCH = 2000
VALUE_LENGTH = 500  # a value longer than this is cut in the entry's details

ACTIONS = {
    "insert": EventAction.DATABASE_INSERT,
    "update": EventAction.DATABASE_UPDATE,
    "delete": EventAction.DATABASE_DELETE,
}


@dataclass(frozen=True)
class ReconcileRun:
    logged: int  # changes made outside the application, now in the event log
    accounted: int  # the application's own changes, already logged
    skipped: int  # installation-wide records, or tables no longer regulated


def _accounted(changes: list[DatabaseChange], tables: dict) -> set[int]:
    """The ids of the captured changes an application log entry accounts for."""
    transactions = {change.db_transaction for change in changes}
    records = {
        (tables[change.table_name]._meta.label_lower, change.row_pk)
        for change in changes
        if change.table_name in tables
    }
    entries = (
        EventLogEntry.objects.filter(
            Q(db_transaction__in=transactions)
            | Q(
                db_transaction__gte=min(transactions),
                db_session__in={change.db_session for change in changes},
                record_type__in={record_type for record_type, _ in records},
                object_id__in={object_id for _, object_id in records},
            )
        )
        .order_by("db_transaction", "sequence")
        .values_list("db_transaction", "db_session", "record_type", "object_id", "at")
    )
    logging_transactions = set()
    waiting = defaultdict(list)  # (session, record type, id) -> [(transaction, time)] in order
    for db_transaction, session, record_type, object_id, at in entries:
        logging_transactions.add(db_transaction)
        waiting[(session, record_type, object_id)].append((db_transaction, at))
    accounted = set()
    for change in sorted(changes, key=lambda change: (change.db_transaction, change.pk)):
        if change.db_transaction in logging_transactions:
            accounted.add(change.pk)
            continue
        model = tables.get(change.table_name)
        if model is None:
            continue
        queue = waiting.get((change.db_session, model._meta.label_lower, change.row_pk), [])
        while queue:
            db_transaction, at = queue.pop(0)
            if db_transaction < change.db_transaction:
                continue  # an entry of an earlier change
            if at - change.at <= datetime.timedelta(seconds=PAIRING_SECONDS):
                accounted.add(change.pk)
            break
    return accounted


def _organisation_id(model, row: dict, found: dict) -> int | None:
    """The record's organisation: its own column, its parent's, or its earlier log entries'."""
    if row.get("organisation_id") is not None:
        return row["organisation_id"]
    for field in model._meta.concrete_fields:
        if not (field.many_to_one and hasattr(field.related_model, "organisation_id")):
            continue
        value = row.get(field.column)
        if value is None:
            continue
        key = (field.related_model, value)
        if key not in found:
            found[key] = (
                field.related_model._base_manager.filter(pk=value)
                .values_list("organisation_id", flat=True)
                .first()
            )
        if found[key] is not None:
            return found[key]
    return None


def _last_entry(model, pk: str):
    return (
        EventLogEntry.objects.filter(record_type=model._meta.label_lower, object_id=pk)
        .order_by("-at", "-sequence")
        .values("organisation_id", "object_repr")
        .first()
    )


def _value(value):
    if isinstance(value, str) and len(value) > VALUE_LENGTH:
        return value[:VALUE_LENGTH] + "…"
    return value


def _named(model, row: dict | None, columns) -> dict:
    """{field name: value} of the given columns (a column no field has keeps its name)."""
    names = {field.column: field.name for field in model._meta.concrete_fields}
    return {names.get(column, column): _value((row or {}).get(column)) for column in columns}


def _event(model, change: DatabaseChange) -> dict:
    details: dict[str, object]
    if change.operation == "update":
        before = _named(model, change.old_row, change.columns)
        after = _named(model, change.new_row, change.columns)
        details = {
            "fields": sorted(before),
            "changes": {name: {"before": before[name], "after": after[name]} for name in before},
        }
    elif change.operation == "insert":
        details = {"after": _named(model, change.new_row, change.new_row or {})}
    else:
        details = {"before": _named(model, change.old_row, change.old_row or {})}
    details["db_transaction"] = change.db_transaction
    details["db_at"] = change.at.isoformat()
    current = model._base_manager.filter(pk=change.row_pk).first()
    if current is not None:
        name = str(current)
    else:
        last = _last_entry(model, change.row_pk)
        name = last["object_repr"] if last else ""
    return {
        "action": ACTIONS[change.operation],
        "record_type": model._meta.label_lower,
        "object_id": change.row_pk,
        "object_repr": name,
        "details": details,
    }


def _reconcile_batch(*, cutoff, tables: dict) -> tuple[ReconcileRun, int]:
    with transaction.atomic():
        changes = list(
            DatabaseChange.objects.select_for_update(skip_locked=True)
            .filter(at__lte=cutoff)
            .order_by("pk")[:BATCH]
        )
        if not changes:
            return ReconcileRun(0, 0, 0), 0
        accounted = _accounted(changes, tables)
        events = defaultdict(list)
        found: dict = {}
        skipped = 0
        for change in changes:
            model = tables.get(change.table_name)
            if change.pk in accounted:
                continue
            organisation_id = None
            if model is not None:
                row = change.new_row or change.old_row or {}
                organisation_id = _organisation_id(model, row, found)
                if organisation_id is None:
                    last = _last_entry(model, change.row_pk)
                    organisation_id = last["organisation_id"] if last else None
            if organisation_id is None:
                skipped += 1
                continue
            events[organisation_id].append(_event(model, change))
        for organisation_id in sorted(events):
            event_log_append_many(
                organisation=Organisation(pk=organisation_id), events=events[organisation_id]
            )
        DatabaseChange.objects.filter(pk__in=[c.pk for c in changes]).delete()
    logged = sum(len(found_events) for found_events in events.values())
    return ReconcileRun(logged, len(accounted), skipped), len(changes)


def database_changes_reconcile(*, settle_seconds: int = SETTLE_SECONDS) -> ReconcileRun:
    """Log the captured changes no application entry accounts for; delete every capture seen.

    Idempotent and safe to run concurrently (a capture is taken by one run only). Runs from
    beat every few minutes, before each seal and from `verify_event_log`. A no-op on SQLite.
    """
    if connection.vendor != "postgresql":
        return ReconcileRun(0, 0, 0)
    cutoff = timezone.now() - datetime.timedelta(seconds=settle_seconds)
    tables = captured_tables()
    logged = accounted = skipped = 0
    while True:
        run, seen = _reconcile_batch(cutoff=cutoff, tables=tables)
        logged, accounted, skipped = (
            logged + run.logged,
            accounted + run.accounted,
            skipped + run.skipped,
        )
        if seen < BATCH:
            return ReconcileRun(logged, accounted, skipped)
