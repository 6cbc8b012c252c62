"""Guards that make the ORM's bulk paths obey the same rules as a single record.

Deletes. A model may refuse `instance.delete()` (a legal hold is released, never deleted), but
`Model.objects.filter(...).delete()` does not call it: Django's collector deletes the rows with
SQL. It does send `pre_delete` for every row first (whenever a receiver is connected, which also
turns off its fast-delete path), so a `pre_delete` receiver that refuses is the one place that
stops both the single and the bulk delete, inside the deleting transaction.

Bulk writes. `QuerySet.update()`, `bulk_update()` (which is `update()` per batch) and
`bulk_create()` write rows with SQL and send no model signal, so a regulated record changed that
way would leave no history row and no event-log entry. `guard_bulk_writes(model, ...)` routes
them for that model: an update of the fields it watches, or a create, is handed to the model's
callbacks in the same transaction (which write the history and the log, see records/bulk.py),
or refused. They are installed once on Django's QuerySet, because a queryset reaches a model by
many doors (its managers, related managers, the base manager, a custom QuerySet): every one of
them ends in `QuerySet.update` / `bulk_create`. Other models pay one dictionary lookup.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import pre_delete

_NEVER_DELETED: dict[type, object] = {}
_DELETE_CHECKS: dict[type, Callable] = {}


class GuardError(Exception):
    """Raised when code tries to delete, in bulk or one by one, a record that is never deleted,
    or to write a regulated record in bulk where that cannot be recorded."""


def guard_never_deleted(model, *, message) -> None:
    """Refuse every delete of `model` through the ORM: instance, queryset, related or cascade."""
    _NEVER_DELETED[model] = message
    pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=f"core.guard.{model._meta.label}")


def guard_delete(model, check: Callable) -> None:
    """Apply `check(instance)` (which raises to refuse) to every delete of `model`, including
    queryset, related and cascade deletes: the same rule as the model's own delete()."""
    _DELETE_CHECKS[model] = check
    pre_delete.connect(
        _check_delete, sender=model, dispatch_uid=f"core.guard.delete.{model._meta.label}"
    )


def never_deleted_models() -> list[type]:
    return list(_NEVER_DELETED)


def delete_guarded_models() -> list[type]:
    """Every model whose deletes, single or bulk, pass a guard."""
    return list(_NEVER_DELETED) + [model for model in _DELETE_CHECKS if model not in _NEVER_DELETED]


def _refuse_delete(sender, instance, **kwargs) -> None:
    raise GuardError(str(_NEVER_DELETED[sender]))


def _check_delete(sender, instance, **kwargs) -> None:
    _DELETE_CHECKS[sender](instance)


# --- Bulk writes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkWriteGuard:
    # Called with the created objects (primary keys set), in the inserting transaction.
    created: Callable[[type, list], None]
    # Called after an update that touched a watched field, with the primary keys of the rows
    # the update matched and their watched values before it; None: such an update is refused.
    changed: Callable[[type, dict], None] | None
    # Field names (and attnames) an update may change without a record: left to plain SQL.
    unwatched: frozenset
    message: str = ""


_BULK_GUARDS: dict[type, BulkWriteGuard] = {}


def guard_bulk_writes(model, guard: BulkWriteGuard) -> None:
    _BULK_GUARDS[model] = guard
    _install()


def bulk_guarded_models() -> list[type]:
    return list(_BULK_GUARDS)


def _watched(model, guard: BulkWriteGuard, names) -> list[str]:
    watched = []
    for name in names:
        field = model._meta.get_field(name)
        if field.name not in guard.unwatched and field.attname not in guard.unwatched:
            watched.append(field.attname)
    return watched


def watched_attnames(model) -> list[str]:
    """The concrete fields of `model` whose bulk update is recorded."""
    guard = _BULK_GUARDS[model]
    return _watched(model, guard, [field.name for field in model._meta.concrete_fields])


_original_update = QuerySet.update
_original_bulk_create = QuerySet.bulk_create


def _guarded_update(self, **kwargs):
    guard = _BULK_GUARDS.get(self.model)
    if guard is None or not _watched(self.model, guard, kwargs):
        return _original_update(self, **kwargs)
    if guard.changed is None:
        raise GuardError(guard.message or f"{self.model._meta.label} is never changed in bulk.")
    attnames = watched_attnames(self.model)
    with transaction.atomic(using=self.db, savepoint=False):
        # Before the update: its filter may name the very fields it changes.
        before = {row[0]: row[1:] for row in self.order_by().values_list("pk", *attnames)}
        count = _original_update(self, **kwargs)
        if before:
            guard.changed(self.model, before, using=self.db)
    return count


def _guarded_bulk_create(self, objs, *args, **kwargs):
    guard = _BULK_GUARDS.get(self.model)
    if guard is None:
        return _original_bulk_create(self, objs, *args, **kwargs)
    if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
        # The database does not say which rows it inserted or changed: nothing to record by.
        raise GuardError(
            f"{self.model._meta.label} is recorded row by row: bulk_create with "
            "ignore_conflicts or update_conflicts cannot say which rows it wrote."
        )
    with transaction.atomic(using=self.db, savepoint=False):
        created = _original_bulk_create(self, objs, *args, **kwargs)
        if any(obj.pk is None for obj in created):
            raise GuardError(
                f"{self.model._meta.label}: this database did not return the new rows' keys."
            )
        guard.created(self.model, created, using=self.db)
    return created


def _install() -> None:
    if QuerySet.update is not _guarded_update:
        QuerySet.update = _guarded_update
        QuerySet.bulk_create = _guarded_bulk_create
