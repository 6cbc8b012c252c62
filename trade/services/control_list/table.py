"""Reading an import file: the columns of each list, the headings a file may use, the size
limits, and a CSV or XLSX file read into rows."""

import csv
import datetime
import hashlib
import io
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

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
