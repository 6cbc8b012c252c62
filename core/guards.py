"""Guards that make the ORM's bulk paths obey the same rules as a single record.

A model may refuse `instance.delete()` (a legal hold is released, never deleted), but
`Model.objects.filter(...).delete()` does not call it: Django's collector deletes the rows with
SQL. It does send `pre_delete` for every row first (whenever a receiver is connected, which also
turns off its fast-delete path), so a `pre_delete` receiver that refuses is the one place that
stops both the single and the bulk delete, inside the deleting transaction.
"""

from django.db.models.signals import pre_delete

_NEVER_DELETED: dict[type, object] = {}


class GuardError(Exception):
    """Raised when code tries to delete, in bulk or one by one, a record that is never deleted."""


def guard_never_deleted(model, *, message) -> None:
    """Refuse every delete of `model` through the ORM: instance, queryset, related or cascade."""
    _NEVER_DELETED[model] = message
    pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=f"core.guard.{model._meta.label}")


def never_deleted_models() -> list[type]:
    return list(_NEVER_DELETED)


def _refuse_delete(sender, instance, **kwargs) -> None:
    raise GuardError(str(_NEVER_DELETED[sender]))
