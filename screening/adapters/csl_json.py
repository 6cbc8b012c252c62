"""The US Consolidated Screening List as JSON: the trade.gov API answer or the published
`consolidated.json` file (both an object with a `results` array), or a bare array."""

import json
import re

from django.utils.translation import gettext as _

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

TYPES = {"individual": "individual", "entity": "entity", "vessel": "vessel", "aircraft": "aircraft"}
# The Entity List appends this to names; it is not part of the name.
SUCCESSOR_CLAUSE = re.compile(
    r",?\s*(and|including) any successors?,? sub-units?,? (or|and) subsidiar(y|ies) thereof\.?$",
    re.IGNORECASE,
)


def _clean_name(value) -> str:
    name = clean_text(value)
    name = re.sub(r"(?<=\w)\?(?=\w)", "'", name)  # '?' stands in for apostrophes
    return SUCCESSOR_CLAUSE.sub("", name).strip()


def _as_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [part for part in value.split("; ") if part]
    return [value]


def _address(item) -> tuple[str, str | None]:
    if not isinstance(item, dict):  # a string, or a malformed number/list: keep it as text
        return clean_text(item), None
    parts = [item.get(key) for key in ("address", "city", "state", "postal_code", "country")]
    return ", ".join(clean_text(p) for p in parts if clean_text(p)), country_code(
        item.get("country") or ""
    )


def _identifier(item) -> str:
    if not isinstance(item, dict):
        return clean_text(item)
    parts = [clean_text(item.get(key)) for key in ("type", "number", "country")]
    return " ".join(part for part in parts if part)


def parse_csl_json(content: bytes, *, list_code: str) -> ParseResult:
    try:
        data = json.loads(decode_text(content))
    except (ValueError, json.JSONDecodeError) as exc:
        return ParseResult(
            [], [RowError(1, _("the file is not valid JSON (%(error)s).") % {"error": exc})]
        )
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        return ParseResult([], [RowError(1, _("the JSON has no 'results' array."))])
    records, errors, seen = [], [], {}
    for position, item in enumerate(results, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(position, _("the entry is not a JSON object.")))
            continue
        row_errors = []
        source = clean_text(item.get("source"))
        entity_number = clean_text(item.get("entity_number"))
        # Treasury rows repeat across sources: their OFAC number is the stable identity.
        entity_id = (
            f"OFAC-{entity_number}"
            if entity_number
            else clean_text(item.get("id") or item.get("_id"))
        )
        raw_type = clean_text(item.get("type")).lower()
        entity_type = TYPES.get(raw_type, raw_type or "entity")
        name = _clean_name(item.get("name"))
        aliases = [
            {"text": alias, "weak": False}
            for alias in unique(_clean_name(a) for a in _as_list(item.get("alt_names")))
            if alias != name
        ]
        addresses, codes = [], []
        for raw in _as_list(item.get("addresses")):
            text, code = _address(raw)
            if text:
                addresses.append(text)
            if code:
                codes.append(code)
        for key in ("nationalities", "citizenships"):
            codes += [c for c in (country_code(v) for v in _as_list(item.get(key))) if c]
        dates = {}
        for key in ("start_date", "end_date"):
            dates[key] = None
            if clean_text(item.get(key)):
                try:
                    dates[key] = parse_date(item[key])
                except (ValueError, TypeError, AttributeError) as exc:
                    row_errors.append(RowError(position, f"{key}: {exc}"))
        programmes = unique(clean_text(p) for p in _as_list(item.get("programs")))
        remarks = [clean_text(item.get("remarks"))]
        if clean_text(item.get("license_requirement")):
            remarks.append(
                _("Licence requirement: %(text)s")
                % {"text": clean_text(item["license_requirement"])}
            )
        if clean_text(item.get("license_policy")):
            remarks.append(
                _("Licence policy: %(text)s") % {"text": clean_text(item["license_policy"])}
            )
        record = EntityRecord(
            entity_id=entity_id,
            name=name,
            entity_type=entity_type,
            aliases=aliases,
            countries=unique(codes),
            addresses=unique(addresses),
            identifiers=unique(_identifier(i) for i in _as_list(item.get("ids"))),
            programme="; ".join(filter(None, [source, ", ".join(programmes)])),
            listed_on=dates["start_date"],
            delisted_on=dates["end_date"],
            remarks="\n".join(r for r in remarks if r),
            source_url=clean_text(
                item.get("source_information_url") or item.get("source_list_url")
            ),
        )
        row_errors += check_record(record, position, seen)
        if row_errors:
            errors += row_errors
        else:
            records.append(record)
    if not records and not errors:
        errors.append(RowError(1, _("the file has no entities.")))
    return ParseResult(records, errors)
