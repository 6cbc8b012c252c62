"""CSV and XLSX downloads: the one place where the app writes a spreadsheet for a person.

A cell that a spreadsheet would read as a formula (text starting with =, +, -, @, a tab or a
carriage return) is written as text, prefixed with an apostrophe: a party named
`=HYPERLINK("http://x","y")` must not become a link, or a command, on the reader's machine
(CSV/formula injection). Numbers, dates and booleans are written as they are.

Both formats are sent without holding the file in memory: CSV rows are written as the response
is sent (a queryset's rows are read as they are written), and an XLSX workbook is written row by
row (openpyxl's write-only mode) into a temporary file that spills to disk past
`XLSX_SPOOL_BYTES`, then sent from it in blocks. `bench/export_memory.py` measures the peak.
"""

import csv
import tempfile
from collections.abc import Iterable

from django.http import FileResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An XLSX workbook up to this size stays in memory; a larger one goes to a temporary file.
XLSX_SPOOL_BYTES = 1 << 20


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

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(safe_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(rows: Iterable[Iterable], *, filename: str, sheet_title: str) -> FileResponse:
    """Rows (the header first) as one XLSX sheet, written row by row and sent from a temporary
    file (closed, and so deleted, when the response is)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(force_str(sheet_title)[:31])
    for row in rows:
        sheet.append(safe_row(row))
    spool = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    try:
        workbook.save(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)
