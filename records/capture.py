"""The triggers that capture every change of a regulated record at the database (PostgreSQL).

After each `migrate` (post_migrate), `capture_install` (re)creates, from
`records.regulated.regulated_models()`:

- `records_capture_change()`, a row trigger on each regulated table: every INSERT, UPDATE and
  DELETE, whoever runs it, writes a `records.DatabaseChange` row (table, primary key, operation,
  the changed columns, the row before and after, `txid_current()`, `pg_backend_pid()`, the
  time). An update that changed only columns the history leaves out (caches) is not captured,
  as the application logs no change for it either.
- `records_event_log_origin()`, a BEFORE INSERT trigger on the event log that stamps each entry
  with the same transaction id and server session, so the reconcile
  (records/services/capture.py) can tell a change the application logged from one made around it.

A new regulated model gets its trigger on the `migrate` that creates its table; a table that is
no longer regulated loses it. On SQLite nothing is installed (docs/operations.md says why).
"""

from django.db import connections

from records.bulk import historical_records
from records.models import DatabaseChange, EventLogEntry
from records.regulated import has_history, regulated_models

TRIGGER = "records_capture"
ORIGIN_TRIGGER = "records_event_log_origin"

CAPTURE_FUNCTION = """
CREATE OR REPLACE FUNCTION records_capture_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    changed text[] := '{}';
BEGIN
    -- TG_ARGV[0]: the primary key column; the others: columns whose changes are not captured.
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(array_agg(after.key ORDER BY after.key), '{}') INTO changed
        FROM jsonb_each(new_row) AS after
        WHERE after.value IS DISTINCT FROM old_row -> after.key
          AND NOT after.key = ANY (TG_ARGV[1:]);
        IF cardinality(changed) = 0 THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO {table} (
        table_name, row_pk, operation, columns, old_row, new_row, db_transaction, db_session, at
    ) VALUES (
        TG_TABLE_NAME, coalesce(new_row, old_row) ->> TG_ARGV[0], lower(TG_OP),
        to_jsonb(changed), old_row, new_row, txid_current(), pg_backend_pid(), clock_timestamp()
    );
    RETURN NULL;
END;
$$;
"""

ORIGIN_FUNCTION = """
CREATE OR REPLACE FUNCTION records_event_log_origin() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_transaction := txid_current();
    NEW.db_session := pg_backend_pid();
    RETURN NEW;
END;
$$;
"""


def uncaptured_columns(model) -> list[str]:
    """The columns the history leaves out (caches): changing only them is not a change of the
    record. A record written once and never changed (no history) has none."""
    if not has_history(model):
        return []
    tracked = {field.name for field in historical_records(model).fields_included(model)}
    return sorted(
        field.column for field in model._meta.concrete_fields if field.name not in tracked
    )


def captured_tables() -> dict[str, type]:
    """{table name: model} of every regulated table (proxies share their model's table)."""
    tables: dict[str, type] = {}
    for model in regulated_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        tables.setdefault(meta.db_table, model)
    return tables


def _literal(value: str) -> str:
    return value.replace("'", "''")


def capture_install(*, using: str = "default") -> int:
    """Create or replace the capture triggers on PostgreSQL; the number of tables covered."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    tables = {name: model for name, model in captured_tables().items() if name in existing}
    with connection.cursor() as cursor:
        cursor.execute(CAPTURE_FUNCTION.replace("{table}", quote(DatabaseChange._meta.db_table)))
        cursor.execute(ORIGIN_FUNCTION)
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {ORIGIN_TRIGGER} BEFORE INSERT ON "
            f"{quote(EventLogEntry._meta.db_table)} FOR EACH ROW "
            f"EXECUTE FUNCTION records_event_log_origin()"
        )
        for table, model in tables.items():
            arguments = ", ".join(
                f"'{_literal(column)}'"
                for column in [model._meta.pk.column, *uncaptured_columns(model)]
            )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "
                f"{quote(table)} FOR EACH ROW EXECUTE FUNCTION records_capture_change({arguments})"
            )
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND pg_table_is_visible(c.oid)",
            [TRIGGER],
        )
        for (stale,) in cursor.fetchall():
            if stale not in tables:
                cursor.execute(f"DROP TRIGGER {TRIGGER} ON {quote(stale)}")
    return len(tables)


def capture_installed_tables(*, using: str = "default") -> set[str]:
    """The tables that carry the capture trigger now (PostgreSQL; empty elsewhere)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND pg_table_is_visible(c.oid) AND t.tgenabled <> 'D'",
            [TRIGGER],
        )
        return {name for (name,) in cursor.fetchall()}


def install_after_migrate(sender, using="default", **kwargs) -> None:
    capture_install(using=using)
