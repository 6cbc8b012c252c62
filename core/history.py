"""Readable change history (who, when, what) from django-simple-history records.

Two parts:
- `history_entries(obj)` turns history rows into what a person reads: field labels, choice
  labels instead of stored codes, the names of related records instead of their ids, dates and
  times in the reader's time zone and format.
- Fields whose stored value means nothing to a person as it is (a list of codes, the code and
  parameters of a stored sentence, a JSON blob) are shown the way the record's own page shows
  them: the app registers how (`history_field_register`, `history_stored_text_register`, from
  its `apps.py` or a module it owns; core imports no app). A JSON field nobody registered shows
  a note that it changed, never its Python repr or its codes (tests/core/test_history_display.py
  fails on a JSON field of a model with history that is not registered).
- `skip_unchanged_history` (a `pre_save` receiver, connected in `core.apps`) stops a save that
  changes nothing from writing a history row, and so an event-log entry: saving a form
  untouched is not a change to a regulated record.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.i18n import joined

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
UNCHANGED_MARK = "_history_unchanged"  # set by us, so we only ever undo our own skip
# Translators: the change history's value for a field whose content is not shown there (a list
# of evidence links, a publication's content): "Evidence links: changed". Chinese: "已更改".
CHANGED_NOTE = pgettext_lazy("change history: a value not shown", "changed")


@dataclass
class HistoryEntry:
    when: object
    who: object
    action: str
    # (field label, old, new), all display text; old is None when the history shows only that
    # the field changed (CHANGED_NOTE as new), not its values.
    changes: list = field(default_factory=list)


# --- how a field is shown: registered by the apps ----------------------------------------------


@dataclass(frozen=True)
class StoredTextFields:
    """A sentence the system stored as a code and its parameters (beside the text as first
    written): shown once, under the text field's label, rendered in the reader's language by
    `render(code, params, fallback_text)`; the code and parameter fields are not shown apart."""

    text: str
    code: str
    params: str
    render: Callable[[str, dict, str], str]

    @property
    def names(self) -> tuple[str, str, str]:
        return (self.text, self.code, self.params)

    def display(self, record) -> str:
        return str(
            self.render(
                getattr(record, self.code) or "",
                getattr(record, self.params) or {},
                getattr(record, self.text) or "",
            )
            or ""
        )


NOTE = object()  # registered "show that it changed, not the value"
_FIELD_RENDERERS: dict[tuple[str, str], object] = {}  # (model label, field) -> callable or NOTE
_STORED_TEXTS: dict[str, list[StoredTextFields]] = {}


def _model_label(model) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def choice_labels(choices) -> Callable[[object], str]:
    """A renderer for a code or a list of codes: their labels in the reader's language, in the
    reader's list punctuation. `choices` is a list of (code, label) or a callable returning one
    (read when shown). A code no longer among the choices reads "(removed)", never the code."""

    def render(value) -> str:
        labels = {str(code): label for code, label in (choices() if callable(choices) else choices)}
        values = value if isinstance(value, list | tuple) else [value]
        return joined(str(labels.get(str(code), _("(removed)"))) for code in values)

    return render


def history_field_register(
    model, name: str, render: Callable[[object], str] | None = None, *, choices=None
) -> None:
    """How the change history shows field `name` of `model` (a class or "app.model"):
    `render(value)` (the stored value, not empty, to text in the active language), or the labels
    of `choices` (see `choice_labels`); neither: "changed", without the value (a blob that means
    nothing to a person). Register every JSON field of a model with history."""
    if render is not None and choices is not None:
        raise ValueError("Pass render or choices, not both.")
    if choices is not None:
        render = choice_labels(choices)
    _FIELD_RENDERERS[(_model_label(model), name)] = render if render is not None else NOTE


def history_stored_text_register(
    model, *, text: str, code: str, params: str, render: Callable[[str, dict, str], str]
) -> None:
    """A stored sentence (text as first written, its code, its parameters) shown as one line:
    `render(code, params, text)` in the reader's language (e.g. trade.stored_text.render)."""
    fields = StoredTextFields(text=text, code=code, params=params, render=render)
    _STORED_TEXTS.setdefault(_model_label(model), []).append(fields)


def history_field_registered(model, name: str) -> bool:
    """Whether the app said how field `name` of `model` is shown (a renderer, a note, or as one
    of a stored sentence's fields)."""
    label = _model_label(model)
    if (label, name) in _FIELD_RENDERERS:
        return True
    return any(name in group.names for group in _STORED_TEXTS.get(label, ()))


def _stored_text_of(model, name: str) -> StoredTextFields | None:
    for group in _STORED_TEXTS.get(_model_label(model), ()):
        if name in group.names:
            return group
    return None


def _is_blob(model_field, value) -> bool:
    """A JSON value or a structure: no generic display means anything to a person."""
    return isinstance(model_field, models.JSONField) or isinstance(value, dict | list | tuple)


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


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _display(model_field, value, names: dict) -> str:
    """One stored value as a person reads it (a field without a registered renderer)."""
    if _empty(value):
        return ""
    if isinstance(model_field, models.FileField):  # storage names mean nothing
        return ""  # replaced by the caller
    if model_field.is_relation and not model_field.many_to_many:
        pk = getattr(value, "pk", value)
        return names.get(pk, str(value) if hasattr(value, "pk") else _("(removed)"))
    if model_field.choices:  # one path with the registered lists: a removed code is never shown
        return choice_labels(model_field.flatchoices)(value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value.replace(microsecond=0), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if _is_blob(model_field, value):  # never a repr or raw codes: the caller writes a note
        return str(CHANGED_NOTE)
    return str(value)


def change_texts(model, model_field, old, new, names: dict | None = None) -> tuple[str | None, str]:
    """(old, new) of one changed field as a person reads them, in the active language; old is
    None when only the fact of a change is shown. `names`: {pk: name} of related records."""
    names = names or {}
    render = _FIELD_RENDERERS.get((_model_label(model), model_field.name))
    if render is NOTE or (
        render is None
        and not model_field.choices
        and _is_blob(model_field, new if not _empty(new) else old)
    ):
        return None, str(CHANGED_NOTE)
    if render is not None:
        return ("" if _empty(old) else str(render(old))), ("" if _empty(new) else str(render(new)))
    return _display(model_field, old, names), _display(model_field, new, names)


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
            sentences_done = set()
            for change in delta.changes:
                model_field = obj._meta.get_field(change.field)
                if getattr(model_field, "auto_now", False):
                    continue  # "updated" moves on every save: the entry's own time says it
                sentence = _stored_text_of(obj, model_field.name)
                if sentence is not None:
                    # One line for the stored sentence, however many of its fields changed.
                    if sentence.text not in sentences_done:
                        sentences_done.add(sentence.text)
                        old_text, new_text = sentence.display(older), sentence.display(newer)
                        if old_text != new_text:
                            text_field = obj._meta.get_field(sentence.text)
                            changes.append((text_field, old_text, new_text, True))
                    continue
                changes.append((model_field, change.old, change.new, False))
        raw.append((newer, changes))

    # One query per related model for the names of every related record mentioned.
    wanted: dict = {}
    for _record, changes in raw:
        for model_field, old, new, _done in changes:
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
        for model_field, old, new, done in changes:
            related = names.get(model_field.related_model, {}) if model_field.is_relation else {}
            if done:  # already display text (a stored sentence)
                old_text, new_text = old, new
            elif isinstance(model_field, models.FileField):
                old_text, new_text = _("a file") if old else "", _("a new file") if new else ""
            elif model_field.many_to_many:
                old_text = _m2m_display(model_field, old or [], related)
                new_text = _m2m_display(model_field, new or [], related)
            else:
                old_text, new_text = change_texts(obj, model_field, old, new, related)
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
