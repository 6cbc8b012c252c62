"""The control list and the customs catalogue as data: whole-list imports from CSV or XLSX (all
or nothing, with every bad row named), versioned with a diff, and the labelled starter sets.

Columns and rules: docs/control-list-import.md. An organisation that imports its own list (or
catalogue) uses it instead of the shared starter set; the shared rows stay for the demo."""

import csv
import datetime
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction as db_transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import load_workbook

from accounts.permissions import require_role
from accounts.roles import PROGRAMME_EDITORS
from core.imports import ImportPreview, RowProblem, row_problems_raise
from records.services.eventlog import event_log_append
from reference.services import DEFAULT_FRAMEWORK_FILE
from trade.models import ControlListEntry, ControlListVersion, CustomsCatalogueEntry
from trade.models.control_list import (
    CATALOGUE_DEMO_LABEL,
    CATEGORY_PATTERN,
    CONTROL_CODE_MAX_LENGTH,
    CONTROL_CODE_PATTERN,
    HS_CODE_PATTERN,
    STARTER_SET_LABEL,
    ReferenceListKind,
)

CONTROL_LIST_COLUMNS = (
    "code",
    "description_zh",
    "description_en",
    "parameters",
    "category",
    "control_reason",
    "announcement",
    "hs_codes",
    "keywords",
    "status_note",
    "source",
)
CATALOGUE_COLUMNS = (
    "hs_code",
    "description_zh",
    "description_en",
    "control_codes",
    "remarks",
)
# Chinese headings a chamber's file may use; they mean the column on the right.
HEADER_ALIASES = {
    "管制编码": "code",
    "出口管制编码": "code",
    "中文描述": "description_zh",
    "名称": "description_zh",
    "英文描述": "description_en",
    "技术参数": "parameters",
    "参数": "parameters",
    "类别": "category",
    "管制理由": "control_reason",
    "管制原因": "control_reason",
    "公告": "announcement",
    "公告号": "announcement",
    "海关商品编号": "hs_codes",
    "参考海关商品编号": "hs_codes",
    "商品编号": "hs_code",
    "hs编码": "hs_code",
    "关键词": "keywords",
    "状态说明": "status_note",
    "来源": "source",
    "相关管制编码": "control_codes",
    "备注": "remarks",
}
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
# How often a background import reports its progress while writing entries. Steps are stored
# as English msgids (gettext_noop) and shown in the reader's language.
PROGRESS_EVERY_ROWS = 500

Progress = Callable[[int, str], None]


def _no_progress(percent: int, step: str) -> None:
    """The progress of an import run in the request: nobody is watching."""


REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
STARTER_SET_FILE = REFERENCE_DIR / "control-list-starter.csv"
CATALOGUE_DEMO_FILE = REFERENCE_DIR / "customs-catalogue-demo.csv"


@dataclass
class ControlListImportOutcome:
    created: int
    updated: int
    unchanged: int
    removed: int = 0
    version: ControlListVersion | None = None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column(name: str) -> str:
    name = (name or "").strip().lstrip("\ufeff")
    return HEADER_ALIASES.get(name.lower(), HEADER_ALIASES.get(name, name.lower()))


def read_table(content: bytes, filename: str = "list.csv") -> tuple[list[str], list[tuple]]:
    """The header and the (row number, {column: text}) rows of a CSV (UTF-8 or GB18030) or
    XLSX file (its first sheet). Empty rows are skipped."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than %(limit)d MB.") % {"limit": 10})
    if (filename or "").lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(
                _("The Excel file cannot be read (%(error)s).") % {"error": exc}
            ) from exc
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_column(_cell(c)) for c in next(rows, [])]
        data = [
            (n, {header[i]: _cell(v) for i, v in enumerate(row) if i < len(header) and header[i]})
            for n, row in enumerate(rows, start=2)
        ]
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The file is neither UTF-8 nor GB18030 text."))
        reader = csv.reader(io.StringIO(text))
        try:
            header = [_column(c) for c in next(reader, [])]
            data = [
                (n, {header[i]: v.strip() for i, v in enumerate(row) if i < len(header)})
                for n, row in enumerate(reader, start=2)
            ]
        except csv.Error as exc:
            raise ValidationError(
                _("Row %(row)d: the file is not valid CSV (%(error)s).")
                % {"row": reader.line_num, "error": exc}
            ) from exc
    data = [(n, row) for n, row in data if any(row.values())]
    if len(data) > MAX_ROWS:
        raise ValidationError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    return header, data


def _content_sha256(rows: list[dict]) -> str:
    payload = json.dumps(sorted(rows, key=lambda r: r["key"]), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _control_list_rows(header, data) -> tuple[list[dict], list[RowProblem]]:
    """The entries of a control list file and the problems of the rows it cannot take."""
    if "code" not in header or not ({"description_zh", "description_en"} & set(header)):
        raise ValidationError(
            _("Row 1: the header needs code and description_zh or description_en.")
        )
    errors, rows = [], []
    seen: dict[str, int] = {}  # code -> the row that first named it
    for number, row in data:
        code = row.get("code", "")
        if len(code) > CONTROL_CODE_MAX_LENGTH or not (
            CONTROL_CODE_PATTERN.match(code) or CATEGORY_PATTERN.match(code)
        ):
            errors.append(RowProblem(number, "code", _not_a_control_code(code)))
            continue
        if not (row.get("description_zh") or row.get("description_en")):
            errors.append(RowProblem(number, "description_zh", _("the description is missing.")))
            continue
        category = row.get("category", "")
        if category and category[:1] != code[0]:
            errors.append(
                RowProblem(
                    number,
                    "category",
                    _("category %(category)s does not match code %(code)s.")
                    % {"category": category, "code": code},
                )
            )
            continue
        if code in seen:
            errors.append(
                RowProblem(
                    number,
                    "code",
                    _("code %(code)s already appears in row %(first)d.")
                    % {"code": code, "first": seen[code]},
                )
            )
            continue
        seen[code] = number
        rows.append(
            {
                "key": code,
                "description_zh": row.get("description_zh", ""),
                "description_en": row.get("description_en", ""),
                "parameters": row.get("parameters", ""),
                "control_reason": row.get("control_reason", "")[:200],
                "keywords": row.get("keywords", "")[:500],
                "hs_codes": row.get("hs_codes", "")[:200],
                "announcement": row.get("announcement", "")[:200],
                "source_label": row.get("source", "")[:200],
                "status_note": row.get("status_note", "")[:300],
            }
        )
    return rows, errors


def _catalogue_rows(header, data, edition: str) -> tuple[list[dict], list[RowProblem]]:
    """The entries of a customs catalogue file and the problems of the rows it cannot take."""
    if "hs_code" not in header or not ({"description_zh", "description_en"} & set(header)):
        raise ValidationError(
            _("Row 1: the header needs hs_code and description_zh or description_en.")
        )
    errors, rows = [], []
    seen: dict[str, int] = {}  # code -> the row that first named it
    for number, row in data:
        hs_code = row.get("hs_code", "").replace(".", "").replace(" ", "")
        if not HS_CODE_PATTERN.match(hs_code):
            errors.append(
                RowProblem(
                    number,
                    "hs_code",
                    _("'%(code)s' is not an HS code of 8 or 10 digits.")
                    % {"code": row.get("hs_code", "")},
                )
            )
            continue
        if not (row.get("description_zh") or row.get("description_en")):
            errors.append(RowProblem(number, "description_zh", _("the description is missing.")))
            continue
        bad = [
            c
            for c in row.get("control_codes", "").replace(",", " ").split()
            if not CONTROL_CODE_PATTERN.match(c)
        ]
        if bad:
            errors.append(RowProblem(number, "control_codes", _not_a_control_code(bad[0])))
            continue
        if hs_code in seen:
            errors.append(
                RowProblem(
                    number,
                    "hs_code",
                    _("HS code %(code)s already appears in row %(first)d.")
                    % {"code": hs_code, "first": seen[hs_code]},
                )
            )
            continue
        seen[hs_code] = number
        rows.append(
            {
                "key": hs_code,
                "description_zh": row.get("description_zh", ""),
                "description_en": row.get("description_en", ""),
                "control_codes": " ".join(row.get("control_codes", "").replace(",", " ").split())[
                    :300
                ],
                "remarks": row.get("remarks", "")[:300],
                "edition": edition[:60],
                "source_label": row.get("source", "")[:200],
            }
        )
    return rows, errors


def _not_a_control_code(code: str) -> str:
    return _("'%(code)s' is not a control code such as 1C351 or 3A001.a.1.a.") % {"code": code}


def _require_editor(organisation, user) -> None:
    """An organisation's own list: its compliance managers. The shared list: a superuser (the
    installation's maintainer) or a command (no user)."""
    if organisation is None:
        if user is not None and not user.is_superuser:
            raise PermissionDenied("the shared list is maintained by the installation")
        return
    if user is None:
        return
    require_role(
        organisation=organisation,
        user=user,
        roles=PROGRAMME_EDITORS,
        message="compliance managers only",
    )


def _import(
    *,
    kind,
    model,
    key_field,
    rows,
    organisation,
    user,
    filename,
    content,
    edition,
    progress: Progress = _no_progress,
) -> ControlListImportOutcome:
    if not rows:
        raise ValidationError(_("The file has no entries."))
    content_hash = _content_sha256(rows)
    progress(20, gettext_noop("Writing the entries"))
    with db_transaction.atomic():
        versions = ControlListVersion.objects.select_for_update().filter(
            organisation=organisation, kind=kind
        )
        latest = versions.order_by("-number").first()
        existing = {
            getattr(e, key_field): e for e in model.objects.filter(organisation=organisation)
        }
        if latest is not None and latest.content_sha256 == content_hash:
            return ControlListImportOutcome(0, 0, len(rows), 0, latest)
        created = updated = unchanged = 0
        added: list[str] = []
        changed: list[str] = []
        for done, row in enumerate(rows, start=1):
            if done % PROGRESS_EVERY_ROWS == 0:
                progress(20 + 75 * done // len(rows), gettext_noop("Writing the entries"))
            key = row["key"]
            values = {k: v for k, v in row.items() if k != "key"} | {"is_active": True}
            entry = existing.get(key)
            if entry is None:
                model.objects.create(organisation=organisation, **{key_field: key}, **values)
                created += 1
                added.append(key)
            elif any(getattr(entry, k) != v for k, v in values.items()):
                was_active = entry.is_active
                for k, v in values.items():
                    setattr(entry, k, v)
                entry.save()
                updated += 1
                (changed if was_active else added).append(key)
            else:
                unchanged += 1
        keys = {row["key"] for row in rows}
        removed = sorted(k for k, e in existing.items() if e.is_active and k not in keys)
        model.objects.filter(organisation=organisation, **{f"{key_field}__in": removed}).update(
            is_active=False
        )
        number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ControlListVersion.objects.create(
            organisation=organisation,
            kind=kind,
            number=number,
            edition=edition[:60],
            source_filename=(filename or "")[:255],
            file_sha256=hashlib.sha256(content).hexdigest() if content else "",
            content_sha256=content_hash,
            entry_count=len(rows),
            diff={"added": sorted(added), "removed": removed, "changed": sorted(changed)},
            created_by=user,
        )
        if organisation is not None:
            event_log_append(
                organisation=organisation,
                action="list_imported",
                actor=user,
                record_type="trade.controllistversion",
                object_id=str(version.pk),
                object_repr=str(version),
                details={"file": version.source_filename, **version.change_counts},
            )
    return ControlListImportOutcome(created, updated, unchanged, len(removed), version)


def control_list_import(
    *,
    content: bytes,
    organisation=None,
    user=None,
    filename: str = "list.csv",
    edition="",
    progress: Progress = _no_progress,
) -> ControlListImportOutcome:
    """Import the whole control list from CSV or XLSX. All or nothing: any bad row rejects the
    file with every row's error. Codes the file no longer holds go out of force. Idempotent:
    the same content again creates no version. Without an organisation the entries are the
    shared reference list. `progress(percent, step)` follows a background import."""
    _require_editor(organisation, user)
    progress(5, gettext_noop("Reading the file"))
    header, data = read_table(content, filename)
    progress(10, gettext_noop("Checking every row"))
    rows, problems = _control_list_rows(header, data)
    row_problems_raise(problems)
    return _import(
        kind=ReferenceListKind.CONTROL_LIST,
        model=ControlListEntry,
        key_field="code",
        rows=rows,
        organisation=organisation,
        user=user,
        filename=filename,
        content=content,
        edition=edition,
        progress=progress,
    )


def customs_catalogue_import(
    *,
    content: bytes,
    edition: str,
    organisation=None,
    user=None,
    filename: str = "list.csv",
    progress: Progress = _no_progress,
) -> ControlListImportOutcome:
    """Import the customs catalogue (两用物项和技术进出口许可证管理目录) of one edition from CSV
    or XLSX; the same rules as the control list import."""
    _require_editor(organisation, user)
    edition = (edition or "").strip()
    if not edition:
        raise ValidationError({"edition": _("Say which edition the file is, e.g. 2026.")})
    progress(5, gettext_noop("Reading the file"))
    header, data = read_table(content, filename)
    progress(10, gettext_noop("Checking every row"))
    rows, problems = _catalogue_rows(header, data, edition)
    row_problems_raise(problems)
    return _import(
        kind=ReferenceListKind.CUSTOMS_CATALOGUE,
        model=CustomsCatalogueEntry,
        key_field="hs_code",
        rows=rows,
        organisation=organisation,
        user=user,
        filename=filename,
        content=content,
        edition=edition,
        progress=progress,
    )


def _preview(*, kind, model, key_field, rows, problems, rows_read, organisation) -> ImportPreview:
    """What `_import` would do with these rows, without writing: the same comparison with the
    entries in force (an unchanged file, by its content hash, changes nothing)."""
    preview = ImportPreview(rows_read=rows_read, problems=problems)
    if problems:
        return preview
    if not rows:
        raise ValidationError(_("The file has no entries."))

    def label(key, values) -> str:
        return f"{key} {values.get('description_zh') or values.get('description_en', '')}".strip()

    latest = (
        ControlListVersion.objects.filter(organisation=organisation, kind=kind)
        .order_by("-number")
        .first()
    )
    if latest is not None and latest.content_sha256 == _content_sha256(rows):
        for row in rows:
            preview.unchanged.add(label(row["key"], row))
        return preview
    existing = {getattr(e, key_field): e for e in model.objects.filter(organisation=organisation)}
    for row in rows:
        values = {k: v for k, v in row.items() if k != "key"} | {"is_active": True}
        entry = existing.get(row["key"])
        if entry is None:
            preview.new.add(label(row["key"], row))
        elif any(getattr(entry, k) != v for k, v in values.items()):
            preview.updated.add(label(row["key"], row))
        else:
            preview.unchanged.add(label(row["key"], row))
    keys = {row["key"] for row in rows}
    for key in sorted(existing):
        entry = existing[key]
        if entry.is_active and key not in keys:
            preview.removed.add(label(key, vars(entry)))
    return preview


def control_list_preview(
    *, content: bytes, organisation, user, filename: str = "list.csv"
) -> ImportPreview:
    """What importing this control list file would change, nothing written. A file that cannot
    be read at all (format, header, size) is a ValidationError; row problems are in the
    preview."""
    _require_editor(organisation, user)
    header, data = read_table(content, filename)
    rows, problems = _control_list_rows(header, data)
    return _preview(
        kind=ReferenceListKind.CONTROL_LIST,
        model=ControlListEntry,
        key_field="code",
        rows=rows,
        problems=problems,
        rows_read=len(data),
        organisation=organisation,
    )


def customs_catalogue_preview(
    *, content: bytes, edition: str, organisation, user, filename: str = "list.csv"
) -> ImportPreview:
    """What importing this customs catalogue file (one edition) would change, nothing
    written."""
    _require_editor(organisation, user)
    edition = (edition or "").strip()
    if not edition:
        raise ValidationError({"edition": _("Say which edition the file is, e.g. 2026.")})
    header, data = read_table(content, filename)
    rows, problems = _catalogue_rows(header, data, edition)
    return _preview(
        kind=ReferenceListKind.CUSTOMS_CATALOGUE,
        model=CustomsCatalogueEntry,
        key_field="hs_code",
        rows=rows,
        problems=problems,
        rows_read=len(data),
        organisation=organisation,
    )


def starter_set_rows() -> list[dict]:
    """The starter set: the category headings and example entries of the reference file."""
    data = yaml.safe_load(DEFAULT_FRAMEWORK_FILE.read_text(encoding="utf-8"))["dual_use_list"]
    rows = [
        {
            "code": c["digit"],
            "description_zh": c["name_zh"],
            "description_en": c["name_en"],
            "keywords": c.get("note", ""),
            "source": STARTER_SET_LABEL,
        }
        for c in data["categories"]
    ]
    rows += [
        {
            "code": e["code"],
            "description_zh": "",
            "description_en": e["desc_en"],
            "announcement": e.get("announcement", ""),
            "source": STARTER_SET_LABEL,
            "status_note": e.get("status_note", ""),
        }
        for e in data["example_entries"]
    ]
    return rows


def control_list_load_starter_set() -> ControlListImportOutcome:
    return control_list_import(
        content=STARTER_SET_FILE.read_bytes(),
        filename=STARTER_SET_FILE.name,
        edition=STARTER_SET_LABEL,
    )


def customs_catalogue_load_demo() -> ControlListImportOutcome:
    """The demo rows of the customs catalogue, labelled as such (not the catalogue's text)."""
    return customs_catalogue_import(
        content=CATALOGUE_DEMO_FILE.read_bytes(),
        filename=CATALOGUE_DEMO_FILE.name,
        edition=CATALOGUE_DEMO_LABEL,
    )


# --- a list shared by another organisation (a chamber's version, adopted by a member) ----------

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
