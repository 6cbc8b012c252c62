"""The UN Security Council consolidated list XML (CONSOLIDATED_LIST with INDIVIDUALS and
ENTITIES). Aliases of quality "Low" become weak aliases, which only ever match exactly."""

from django.utils.translation import gettext as _
from lxml import etree

from .base import (
    EntityRecord,
    ParseResult,
    RowError,
    check_record,
    clean_text,
    country_code,
    parse_date,
    unique,
)


def _text(element, tag: str) -> str:
    child = element.find(tag)
    return clean_text(child.text) if child is not None else ""


def _values(element, tag: str) -> list[str]:
    return [clean_text(v.text) for v in element.findall(f"{tag}/VALUE") if clean_text(v.text)]


def _record(element, kind: str, position: int) -> tuple[EntityRecord, list[RowError]]:
    errors = []
    prefix = "INDIVIDUAL" if kind == "individual" else "ENTITY"
    name = " ".join(
        filter(None, (_text(element, f"{p}_NAME") for p in ("FIRST", "SECOND", "THIRD", "FOURTH")))
    )
    aliases = []
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        aliases.append({"text": original, "weak": False})
    for alias in element.findall(f"{prefix}_ALIAS"):
        alias_name = _text(alias, "ALIAS_NAME")
        if alias_name and alias_name != name:
            weak = _text(alias, "QUALITY").lower() in ("low", "a.k.a., low")
            aliases.append({"text": alias_name, "weak": weak})
    addresses, codes = [], []
    for address in element.findall(f"{prefix}_ADDRESS"):
        parts = [_text(address, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE")]
        text = ", ".join(p for p in parts if p)
        if text:
            addresses.append(text)
        code = country_code(_text(address, "COUNTRY"))
        if code:
            codes.append(code)
    for nationality in _values(element, "NATIONALITY"):
        code = country_code(nationality)
        if code:
            codes.append(code)
    identifiers = []
    for document in element.findall("INDIVIDUAL_DOCUMENT"):
        parts = [_text(document, t) for t in ("TYPE_OF_DOCUMENT", "NUMBER", "ISSUING_COUNTRY")]
        if parts[1]:
            identifiers.append(" ".join(p for p in parts if p))
    listed_on = None
    if _text(element, "LISTED_ON"):
        try:
            listed_on = parse_date(_text(element, "LISTED_ON"))
        except ValueError as exc:
            errors.append(RowError(position, f"LISTED_ON: {exc}"))
    remarks = [_text(element, "COMMENTS1"), "; ".join(_values(element, "DESIGNATION"))]
    record = EntityRecord(
        entity_id=_text(element, "REFERENCE_NUMBER") or _text(element, "DATAID"),
        name=name,
        entity_type=kind,
        aliases=aliases,
        countries=unique(codes),
        addresses=unique(addresses),
        identifiers=unique(identifiers),
        programme=_text(element, "UN_LIST_TYPE"),
        listed_on=listed_on,
        remarks="\n".join(r for r in remarks if r),
        source_url="",
    )
    return record, errors


def parse_un_xml(content: bytes, *, list_code: str) -> ParseResult:
    # No DTDs, entities or network: a list file must never make the parser fetch anything.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        return ParseResult(
            [], [RowError(1, _("the file is not valid XML (%(error)s).") % {"error": exc})]
        )
    if root.tag != "CONSOLIDATED_LIST":
        return ParseResult(
            [],
            [
                RowError(
                    1, _("the root element is %(tag)s, not CONSOLIDATED_LIST.") % {"tag": root.tag}
                )
            ],
        )
    records, errors, seen = [], [], {}
    elements = [(e, "individual") for e in root.iterfind("INDIVIDUALS/INDIVIDUAL")] + [
        (e, "entity") for e in root.iterfind("ENTITIES/ENTITY")
    ]
    for position, (element, kind) in enumerate(elements, start=1):
        record, row_errors = _record(element, kind, position)
        row_errors += check_record(record, position, seen)
        if row_errors:
            errors += row_errors
        else:
            records.append(record)
    if not records and not errors:
        errors.append(RowError(1, _("the file has no entities.")))
    return ParseResult(records, errors)
