"""Readable change history (who, when, what) from django-simple-history records.

Two parts:
- `history_entries(obj)` turns history rows into what a person reads: field labels, choice
  labels instead of stored codes, the names of related records instead of their ids, dates and
  times in the reader's time zone and format.
- `skip_unchanged_history` (a `pre_save` receiver, connected in `core.apps`) stops a save that
  changes nothing from writing a history row, and so an event-log entry: saving a form
  untouched is not a change to a regulated record.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import joined

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
UNCHANGED_MARK = "_history_unchanged"  # set by us, so we only ever undo our own skip


@dataclass
class HistoryEntry:
    when: object
    who: object
    action: str
    changes: list = field(default_factory=list)  # (field label, old, new), all display text


# --- skipping unchanged saves --------------------------------------------------------------


@cache
def _tracked_fields(model) -> tuple:
    """The model's fields its history records, without timestamps that move on every save."""
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    history_model = getattr(model, manager_name).model
    recorded = {history_field.attname for history_field in history_model._meta.fields}
    return tuple(
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.attname in recorded
        and not getattr(model_field, "auto_now", False)
        and not model_field.primary_key
    )


def _same(model_field, current, stored) -> bool:
    if current == stored:
        return True
    try:
        return model_field.to_python(current) == model_field.to_python(stored)
    except Exception:  # a value the field cannot read is a change
        return False


def skip_unchanged_history(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or getattr(sender._meta, "simple_history_manager_attribute", None) is None:
        return
    ours = instance.__dict__.pop(UNCHANGED_MARK, False)
    if ours:
        instance.__dict__.pop("skip_history_when_saving", None)
    if instance._state.adding or instance.pk is None:
        return
    if hasattr(instance, "skip_history_when_saving"):
        return  # the caller decided on its own
    tracked = _tracked_fields(sender)
    if update_fields is not None:
        tracked = tuple(f for f in tracked if f.name in update_fields or f.attname in update_fields)
    stored = sender._base_manager.filter(pk=instance.pk).values(*(f.attname for f in tracked))
    stored = stored.first()
    if stored is None:
        return
    if all(_same(f, getattr(instance, f.attname), stored[f.attname]) for f in tracked):
        instance.skip_history_when_saving = True
        instance.__dict__[UNCHANGED_MARK] = True


def restore_history_after_save(sender, instance, raw=False, **kwargs) -> None:
    """Connected after django-simple-history's own receiver: later changes (m2m) record again."""
    if instance.__dict__.pop(UNCHANGED_MARK, False):
        instance.__dict__.pop("skip_history_when_saving", None)


# --- reading ---------------------------------------------------------------------------------


def _related_names(model_field, values) -> dict:
    """{pk: str(object)} for the related records among `values` (ids of one related model)."""
    ids = {value for value in values if value not in (None, "")}
    if not ids:
        return {}
    related = model_field.related_model._base_manager.filter(pk__in=ids)
    return {obj.pk: str(obj) for obj in related}


def _display(model_field, value, names: dict) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "":
        return ""
    if isinstance(model_field, models.FileField):  # storage names mean nothing
        return ""  # replaced by the caller
    if model_field.is_relation and not model_field.many_to_many:
        pk = getattr(value, "pk", value)
        return names.get(pk, str(value) if hasattr(value, "pk") else _("(removed)"))
    if model_field.choices:
        labels = {str(code): label for code, label in model_field.flatchoices}
        if isinstance(value, list | tuple):
            return joined(str(labels.get(str(item), item)) for item in value)
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value.replace(microsecond=0), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list | tuple):
        return joined(str(item) for item in value)
    return str(value)


def _m2m_display(model_field, rows, names: dict) -> str:
    key = model_field.m2m_reverse_field_name()
    return joined(names.get(row.get(key), _("(removed)")) for row in rows)


def _m2m_ids(model_field, rows) -> list:
    key = model_field.m2m_reverse_field_name()
    return [row.get(key) for row in rows]


def history_entries(obj, *, limit: int = 50) -> list[HistoryEntry]:
    """The newest `limit` changes of a record, each with the fields it changed."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    raw = []  # (record, [(model field, old, new)])
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(raw) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            for change in delta.changes:
                model_field = obj._meta.get_field(change.field)
                if getattr(model_field, "auto_now", False):
                    continue  # "updated" moves on every save: the entry's own time says it
                changes.append((model_field, change.old, change.new))
        raw.append((newer, changes))

    # One query per related model for the names of every related record mentioned.
    wanted: dict = {}
    for _record, changes in raw:
        for model_field, old, new in changes:
            if model_field.many_to_many:
                ids = _m2m_ids(model_field, old or []) + _m2m_ids(model_field, new or [])
            elif model_field.is_relation:
                ids = [old, new]
            else:
                continue
            wanted.setdefault(model_field.related_model, (model_field, set()))[1].update(ids)
    names = {}
    for model, (model_field, ids) in wanted.items():
        names[model] = _related_names(model_field, ids)

    entries = []
    for record, changes in raw:
        readable = []
        for model_field, old, new in changes:
            related = names.get(model_field.related_model, {}) if model_field.is_relation else {}
            if isinstance(model_field, models.FileField):
                old_text, new_text = _("a file") if old else "", _("a new file") if new else ""
            elif model_field.many_to_many:
                old_text = _m2m_display(model_field, old or [], related)
                new_text = _m2m_display(model_field, new or [], related)
            else:
                old_text = _display(model_field, old, related)
                new_text = _display(model_field, new, related)
            readable.append((model_field.verbose_name, old_text, new_text))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                action=CHANGE_TYPES.get(record.history_type, record.history_type),
                changes=readable,
            )
        )
    return entries
