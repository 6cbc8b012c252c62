"""A list shared by another organisation: a chamber's version, previewed and adopted by a
member."""

from trade.models import ControlListEntry, CustomsCatalogueEntry
from trade.models.control_list import ReferenceListKind

from .imports import ControlListImportOutcome, _import, _preview, _require_editor

_LIST_MODELS: dict[
    ReferenceListKind, tuple[type[ControlListEntry | CustomsCatalogueEntry], str]
] = {
    ReferenceListKind.CONTROL_LIST: (ControlListEntry, "code"),
    ReferenceListKind.CUSTOMS_CATALOGUE: (CustomsCatalogueEntry, "hs_code"),
}
_ROW_FIELDS = {
    ReferenceListKind.CONTROL_LIST: (
        "description_zh",
        "description_en",
        "parameters",
        "control_reason",
        "keywords",
        "hs_codes",
        "announcement",
        "source_label",
        "status_note",
    ),
    ReferenceListKind.CUSTOMS_CATALOGUE: (
        "description_zh",
        "description_en",
        "control_codes",
        "remarks",
        "edition",
        "source_label",
    ),
}


def reference_list_rows(*, organisation, kind: str) -> list[dict]:
    """The entries in force of the organisation's own list of this kind, as the rows an import
    writes: what a chamber shares when it publishes its version."""
    model, key_field = _LIST_MODELS[ReferenceListKind(kind)]
    fields = _ROW_FIELDS[ReferenceListKind(kind)]
    entries = model.objects.filter(organisation=organisation, is_active=True).order_by(key_field)
    return [
        {"key": getattr(entry, key_field), **{name: getattr(entry, name) for name in fields}}
        for entry in entries
    ]


def _shared_rows(kind: str, rows: list[dict]) -> list[dict]:
    fields = ("key", *_ROW_FIELDS[ReferenceListKind(kind)])
    return [{name: str(row.get(name, "")) for name in fields} for row in rows]


def reference_list_adopt_preview(*, organisation, user, kind: str, rows: list[dict]):
    """What adopting these shared rows would change in the organisation's own list, nothing
    written (the same comparison as a file's preview)."""
    _require_editor(organisation, user)
    model, key_field = _LIST_MODELS[ReferenceListKind(kind)]
    rows = _shared_rows(kind, rows)
    return _preview(
        kind=kind,
        model=model,
        key_field=key_field,
        rows=rows,
        problems=[],
        rows_read=len(rows),
        organisation=organisation,
    )


def reference_list_adopt(
    *, organisation, user, kind: str, rows: list[dict], edition: str, source: str
) -> ControlListImportOutcome:
    """Make these shared rows the organisation's own list of this kind: a new version of its
    list (with the diff and the event), which its classification then uses. `source` names
    where the rows came from (kept as the version's file). The organisation's copy is its own:
    it stays whatever happens to the organisation that shared it."""
    _require_editor(organisation, user)
    model, key_field = _LIST_MODELS[ReferenceListKind(kind)]
    return _import(
        kind=kind,
        model=model,
        key_field=key_field,
        rows=_shared_rows(kind, rows),
        organisation=organisation,
        user=user,
        filename=source,
        content=b"",
        edition=edition,
    )
