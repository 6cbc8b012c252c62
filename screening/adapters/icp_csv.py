"""The app's own CSV template (docs/list-formats/icp-csv.md), for China's lists and in-house
lists. Multi-valued cells (aliases, country, address, identifiers) are separated by `|`."""

import csv
import io

from django.utils.translation import gettext as _

from core.i18n import joined

from .base import (
    EntityRecord,
    ParseResult,
    RowError,
    check_record,
    clean_text,
    country_code,
    decode_text,
    parse_date,
    unique,
)

COLUMNS = (
    "list_code",
    "entity_id",
    "entity_type",
    "name",
    "aliases",
    "country",
    "address",
    "identifiers",
    "programme",
    "listed_on",
    "delisted_on",
    "remarks",
    "source_url",
)
REQUIRED_COLUMNS = ("list_code", "entity_id", "name")


def _split(value: str) -> list[str]:
    return unique(clean_text(part) for part in (value or "").split("|"))


def parse_icp_csv(content: bytes, *, list_code: str) -> ParseResult:
    try:
        text = decode_text(content)
    except ValueError as exc:
        return ParseResult([], [RowError(1, str(exc))])
    reader = csv.DictReader(io.StringIO(text))
    header = [clean_text(name).lower() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        return ParseResult(
            [],
            [
                RowError(
                    1,
                    _("the header lacks the column(s): %(columns)s.")
                    % {"columns": joined(missing)},
                )
            ],
        )
    reader.fieldnames = header
    records, errors, seen = [], [], {}
    try:
        rows = list(reader)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            message = _("a cell is larger than 128 KB.")
        else:
            message = _("the CSV cannot be read (%(error)s).") % {"error": exc}
        return ParseResult([], [RowError(reader.line_num, message)])
    for row_number, row in enumerate(rows, start=2):
        if None in row:
            errors.append(RowError(row_number, _("the row has more cells than the header.")))
            continue
        cells = {key: clean_text(row.get(key)) for key in COLUMNS}
        if not any(cells.values()):
            continue  # blank lines at the end of a spreadsheet export
        row_errors = []
        if cells["list_code"] != list_code:
            row_errors.append(
                RowError(
                    row_number,
                    _("list code '%(found)s' is not the list being imported (%(expected)s).")
                    % {"found": cells["list_code"], "expected": list_code},
                )
            )
        codes = []
        for value in _split(cells["country"]):
            code = country_code(value)
            if code is None or len(value) != 2:
                row_errors.append(
                    RowError(
                        row_number,
                        _("'%(value)s' is not an ISO 3166 alpha-2 country code.")
                        % {"value": value},
                    )
                )
            else:
                codes.append(code)
        dates = {}
        for column in ("listed_on", "delisted_on"):
            dates[column] = None
            if cells[column]:
                try:
                    dates[column] = parse_date(cells[column])
                except ValueError as exc:
                    row_errors.append(RowError(row_number, f"{column}: {exc}"))
        record = EntityRecord(
            entity_id=cells["entity_id"],
            name=cells["name"],
            entity_type=(cells["entity_type"] or "entity").lower(),
            aliases=[
                {"text": alias, "weak": False}
                for alias in _split(cells["aliases"])
                if alias != cells["name"]
            ],
            countries=codes,
            addresses=_split(cells["address"]),
            identifiers=_split(cells["identifiers"]),
            programme=cells["programme"],
            listed_on=dates["listed_on"],
            delisted_on=dates["delisted_on"],
            remarks=cells["remarks"],
            source_url=cells["source_url"],
        )
        row_errors += check_record(record, row_number, seen)
        if row_errors:
            errors += row_errors
        else:
            records.append(record)
    if not records and not errors:
        errors.append(RowError(1, _("the file has no entities.")))
    return ParseResult(records, errors)


def render_icp_csv(records: list[EntityRecord], *, list_code: str) -> str:
    """The inverse of parse_icp_csv: a list version as the CSV template (for export)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(
            [
                list_code,
                record.entity_id,
                record.entity_type,
                record.name,
                "|".join(alias["text"] for alias in record.aliases),
                "|".join(record.countries),
                "|".join(record.addresses),
                "|".join(record.identifiers),
                record.programme,
                record.listed_on.isoformat() if record.listed_on else "",
                record.delisted_on.isoformat() if record.delisted_on else "",
                record.remarks,
                record.source_url,
            ]
        )
    return buffer.getvalue()
