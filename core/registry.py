"""Which records may carry attachments, comments and history, and who may read or change them.

Apps register their record models once (`register_record`); the generic views for attachments
and comments resolve a target only through this registry, always scoped to the current
organisation, so no content type outside it can be reached by guessing an id.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


@dataclass(frozen=True)
class RecordType:
    model: type
    read_roles: frozenset
    edit_roles: frozenset

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_REGISTRY: dict[str, RecordType] = {}
# The labels a registered model had in the app it moved from ({"trade.party": Party}): the event
# log keeps the label it wrote (its entries are hashed in a chain and never rewritten).
_FORMER_LABELS: dict[str, type] = {}


def register_record(model, *, read_roles, edit_roles, former_labels: tuple[str, ...] = ()) -> None:
    record_type = RecordType(model, frozenset(read_roles), frozenset(edit_roles))
    _REGISTRY[record_type.label] = record_type
    for label in former_labels:
        _FORMER_LABELS[label] = model


def record_model(label: str) -> type[models.Model]:
    """The model a stored record label ("app_label.model") names, also by the label it had before
    it moved to another app. Raises LookupError (or ValueError) as `apps.get_model` does."""
    if label in _FORMER_LABELS:
        return _FORMER_LABELS[label]
    return apps.get_model(label)


def record_label(obj) -> str:
    return obj._meta.label_lower


def record_type_for(obj) -> RecordType:
    return _REGISTRY[record_label(obj)]


def record_get(*, label: str, pk, membership, for_edit: bool = False):
    """The registered record `label`/`pk` of the member's organisation, or 404; 403 when the
    member's role may not read (or, with for_edit, change) it."""
    record_type = _REGISTRY.get(label)
    if record_type is None or membership is None:
        raise Http404
    roles = record_type.edit_roles if for_edit else record_type.read_roles
    if membership.role not in roles:
        raise PermissionDenied
    try:
        return record_type.model.objects.for_organisation(membership.organisation).get(pk=pk)
    except (record_type.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_read(membership, obj) -> bool:
    return membership is not None and membership.role in record_type_for(obj).read_roles


def can_edit(membership, obj) -> bool:
    return membership is not None and membership.role in record_type_for(obj).edit_roles
