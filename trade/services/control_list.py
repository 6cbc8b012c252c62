"""The control list as reference data: import from CSV (all or nothing), and the starter set."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils.translation import gettext as _

from trade.models import ControlListEntry
from trade.models.control_list import (
    CATEGORY_PATTERN,
    CONTROL_CODE_PATTERN,
    STARTER_SET_LABEL,
)

COLUMNS = (
    "code",
    "description_zh",
    "description_en",
    "keywords",
    "hs_codes",
    "announcement",
    "source",
    "status_note",
)
REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
STARTER_SET_FILE = REFERENCE_DIR / "control-list-starter.csv"
FRAMEWORK_FILE = (
    Path(__file__).resolve().parent.parent.parent / "icp" / "reference" / "mofcom-2021.yaml"
)


@dataclass
class ControlListImportOutcome:
    created: int
    updated: int
    unchanged: int


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor GB18030 text."))


def control_list_import(*, content: bytes, organisation=None) -> ControlListImportOutcome:
    """Import entries from CSV (columns: code, description_zh, description_en, keywords,
    hs_codes, announcement, source, status_note). All or nothing: any bad row rejects the file
    with every row's error. Idempotent: an unchanged entry is left alone. Without an
    organisation the entries are the shared reference list."""
    reader = csv.DictReader(io.StringIO(_decode(content)))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
    if "code" not in header or not ({"description_zh", "description_en"} & set(header)):
        raise ValidationError(
            _("Row 1: the header needs code and description_zh or description_en.")
        )
    errors, rows, seen = [], [], {}
    for number, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(row.values()):
            continue
        code = row.get("code", "")
        if not (CONTROL_CODE_PATTERN.match(code) or CATEGORY_PATTERN.match(code)):
            errors.append(
                _("Row %(row)d: '%(code)s' is not a control code such as 1C351 or 3C004.a.")
                % {"row": number, "code": code}
            )
            continue
        if not (row.get("description_zh") or row.get("description_en")):
            errors.append(_("Row %(row)d: the description is missing.") % {"row": number})
            continue
        if code in seen:
            errors.append(
                _("Row %(row)d: code %(code)s already appears in row %(first)d.")
                % {"row": number, "code": code, "first": seen[code]}
            )
            continue
        seen[code] = number
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("The file has no entries."))
    existing = {e.code: e for e in ControlListEntry.objects.filter(organisation=organisation)}
    created = updated = unchanged = 0
    with db_transaction.atomic():
        for row in rows:
            values = {
                "description_zh": row.get("description_zh", ""),
                "description_en": row.get("description_en", ""),
                "keywords": row.get("keywords", "")[:500],
                "hs_codes": row.get("hs_codes", "")[:200],
                "announcement": row.get("announcement", "")[:200],
                "source_label": row.get("source", "")[:200],
                "status_note": row.get("status_note", "")[:300],
                "is_active": True,
            }
            entry = existing.get(row["code"])
            if entry is None:
                ControlListEntry.objects.create(
                    organisation=organisation, code=row["code"], **values
                )
                created += 1
            elif any(getattr(entry, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(entry, k, v)
                entry.save()
                updated += 1
            else:
                unchanged += 1
    return ControlListImportOutcome(created, updated, unchanged)


def starter_set_rows() -> list[dict]:
    """The starter set: the category headings and example entries of the reference file."""
    data = yaml.safe_load(FRAMEWORK_FILE.read_text(encoding="utf-8"))["dual_use_list"]
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
    return control_list_import(content=STARTER_SET_FILE.read_bytes())
