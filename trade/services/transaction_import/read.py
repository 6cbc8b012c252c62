"""Reading an import file (CSV in UTF-8 or GB18030, or XLSX) into numbered rows, with its
header checked."""

import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.i18n import joined
from core.imports import (
    canonical_column,
    csv_error_message,
)

MAX_ROWS = 5_000


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, filename: str) -> list[tuple[int, dict]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(
                _("The Excel file cannot be read (%(error)s).") % {"error": exc}
            ) from exc
        sheet = (
            workbook["transactions"]
            if "transactions" in workbook.sheetnames
            else workbook.worksheets[0]
        )
        rows = sheet.iter_rows(values_only=True)
        header = [canonical_column(_cell(c)) for c in next(rows, [])]
        data = [
            (
                number,
                {header[i]: _cell(v) for i, v in enumerate(row) if i < len(header) and header[i]},
            )
            for number, row in enumerate(rows, start=2)
        ]
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The file is neither UTF-8 nor GB18030 text."))
        reader = csv.DictReader(io.StringIO(text))
        reader.fieldnames = [canonical_column(c) for c in reader.fieldnames or []]
        header = reader.fieldnames
        try:
            data = [
                (n, {k: (v or "").strip() for k, v in row.items() if k})
                for n, row in enumerate(reader, start=2)
            ]
        except csv.Error as exc:
            raise ValidationError(csv_error_message(exc, reader.line_num)) from exc
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    missing = [
        c
        for c in ("reference", "destination_country", "end_use", "quantity", "value")
        if c not in header
    ]
    if "item" not in header and "item_name" not in header:
        missing.append("item / item_name")
    if missing:
        raise ValidationError(
            _("Row 1: the header lacks the columns: %(columns)s.") % {"columns": joined(missing)}
        )
    data = [(n, row) for n, row in data if any(row.values())]
    if len(data) > MAX_ROWS:
        raise ValidationError(_("At most %(count)d rows per file.") % {"count": MAX_ROWS})
    if not data:
        raise ValidationError(_("The file has no transactions."))
    return data
