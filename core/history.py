"""Readable change history (who, when, what) from django-simple-history records."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class HistoryEntry:
    when: object
    who: object
    action: str
    changes: list = field(default_factory=list)  # (field label, old, new)


def history_entries(obj, *, limit: int = 50) -> list[HistoryEntry]:
    """The newest `limit` changes of a record, each with the fields it changed."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                model_field = obj._meta.get_field(change.field)
                old, new = change.old, change.new
                if isinstance(model_field, models.FileField):  # storage names mean nothing
                    old, new = _("a file") if old else "", _("a new file") if new else ""
                changes.append((model_field.verbose_name, old, new))
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=newer.history_user,
                action=CHANGE_TYPES.get(newer.history_type, newer.history_type),
                changes=changes,
            )
        )
    return entries
