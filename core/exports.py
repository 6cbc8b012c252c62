"""CSV and XLSX downloads: the one place where the app writes a spreadsheet for a person.

A cell that a spreadsheet would read as a formula (text starting with =, +, -, @, a tab or a
carriage return) is written as text, prefixed with an apostrophe: a party named
`=HYPERLINK("http://x","y")` must not become a link, or a command, on the reader's machine
(CSV/formula injection).

A cell reads as the pages show it, never as a machine value: in a CSV file (all text) a boolean
is Yes or No in the reader's language (是/否), and a date and time is local time (TIME_ZONE) to
the minute, 2026-12-08 11:00, as the PDFs and bundles write it. An XLSX cell keeps its type (a
real boolean, a date), with a date and time in local time to the minute, shown to the minute
(a spreadsheet cannot hold a time zone). Numbers and dates are written as they are.

Both formats are sent without holding the file in memory: CSV rows are written as the response
is sent (a queryset's rows are read as they are written), and an XLSX workbook is written row by
row (openpyxl's write-only mode) into a temporary file that spills to disk past
`XLSX_SPOOL_BYTES`, then sent from it in blocks. `bench/export_memory.py` measures the peak.
"""

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An XLSX workbook up to this size stays in memory; a larger one goes to a temporary file.
XLSX_SPOOL_BYTES = 1 << 20
# A date and time as a person reads it in an export (and as a spreadsheet reads it back).
CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Characters a sheet's name cannot hold (Excel, openpyxl), and its longest length.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_LENGTH = 31


def local_minute(value: datetime.datetime) -> datetime.datetime:
    """A date and time as local time (TIME_ZONE) to the minute, without a time zone; a naive
    one is taken as local already."""
    if timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def local_minute_text(value: datetime.datetime) -> str:
    """A date and time as a person reads it in an export or a generated record: local time to
    the minute, "2026-12-08 11:00"."""
    return local_minute(value).strftime(CSV_DATETIME_FORMAT)


def csv_value(value, *, yes_no: tuple[str, str] | None = None):
    """`value` as a person reads it in a CSV file: a boolean as Yes or No (`yes_no`, or the
    active language's words), a date and time as local time to the minute; others unchanged."""
    if isinstance(value, bool):
        yes, no = yes_no or (gettext("Yes"), gettext("No"))
        return yes if value else no
    if isinstance(value, datetime.datetime):
        return local_minute_text(value)
    return value


def neutralise(value):
    """`value`, with text that starts like a formula prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    """A row ready to write: lazy translations made text, formula-like text neutralised."""
    return [neutralise(force_str(value) if isinstance(value, Promise) else value) for value in row]


class _Echo:
    def write(self, value):
        return value


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """Rows (the header first) as UTF-8 CSV with a BOM, so Excel opens Chinese text; streamed
    (a queryset's rows are read as they are written)."""
    writer = csv.writer(_Echo())
    # Yes and No in the reader's language, taken now, while the request's language is active.
    yes_no = (gettext("Yes"), gettext("No"))

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(safe_row(csv_value(value, yes_no=yes_no) for value in row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def sheet_title_clean(title) -> str:
    """`title` as a sheet's name: without the characters a name cannot hold, cut to its length."""
    text = SHEET_TITLE_FORBIDDEN.sub(" ", force_str(title)).strip()
    return text[:SHEET_TITLE_LENGTH] or "Sheet"


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=local_minute(value))
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    return value


def xlsx_response(rows: Iterable[Iterable], *, filename: str, sheet_title: str) -> FileResponse:
    """Rows (the header first) as one XLSX sheet named `sheet_title` (a title in the reader's
    language), written row by row and sent from a temporary file (closed, and so deleted, when
    the response is)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title_clean(sheet_title))
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in safe_row(row)])
    spool = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    try:
        workbook.save(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)
