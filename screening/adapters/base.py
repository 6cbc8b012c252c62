import datetime
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from django_countries import countries

ENTITY_TYPES = ("entity", "individual", "vessel", "aircraft")
MAX_NAME_LENGTH = 500


@dataclass
class EntityRecord:
    """A listed party in the internal shape, whatever format it came from."""

    entity_id: str
    name: str
    entity_type: str = "entity"
    aliases: list[dict] = field(default_factory=list)  # [{"text": ..., "weak": bool}]
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    programme: str = ""
    listed_on: datetime.date | None = None
    delisted_on: datetime.date | None = None
    remarks: str = ""
    source_url: str = ""

    def canonical(self) -> dict:
        data = asdict(self)
        data["listed_on"] = self.listed_on.isoformat() if self.listed_on else None
        data["delisted_on"] = self.delisted_on.isoformat() if self.delisted_on else None
        data["countries"] = sorted(set(self.countries))
        return data

    def content_hash(self) -> str:
        payload = json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RowError:
    row: int
    message: str
    column: str = ""  # the field at fault, when one is (shown in the import preview)

    def __str__(self):
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ParseResult:
    records: list[EntityRecord]
    errors: list[RowError]


def content_sha256(records: list[EntityRecord]) -> str:
    """Hash of the normalised content: the same entities in any order or encoding hash alike."""
    digest = hashlib.sha256()
    for entity_hash in sorted(f"{r.entity_id}\x1f{r.content_hash()}" for r in records):
        digest.update(entity_hash.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def clean_text(value) -> str:
    """Collapse whitespace; None becomes empty."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def unique(values) -> list:
    seen = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


# UN-style official names that differ from the short names django-countries knows.
OFFICIAL_COUNTRY_NAMES = {
    "democratic people's republic of korea": "KP",
    "republic of korea": "KR",
    "iran (islamic republic of)": "IR",
    "syrian arab republic": "SY",
    "russian federation": "RU",
    "viet nam": "VN",
    "lao people's democratic republic": "LA",
    "bolivia (plurinational state of)": "BO",
    "venezuela (bolivarian republic of)": "VE",
    "united republic of tanzania": "TZ",
    "democratic republic of the congo": "CD",
    "congo": "CG",
    "republic of moldova": "MD",
    "türkiye": "TR",
    "turkey": "TR",
    "united states of america": "US",
    "united kingdom of great britain and northern ireland": "GB",
    "china": "CN",
}


def country_code(value: str) -> str | None:
    """ISO alpha-2 code for a code or an English country name; None when unknown."""
    value = clean_text(value)
    if not value:
        return None
    if len(value) == 2 and value.upper() in countries:
        return value.upper()
    official = OFFICIAL_COUNTRY_NAMES.get(value.casefold())
    if official:
        return official
    code = countries.by_name(value)
    return code or None


def parse_date(value: str) -> datetime.date:
    """ISO dates (YYYY-MM-DD); ValueError with a readable message otherwise."""
    value = clean_text(value)
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise ValueError(
            _("'%(value)s' is not a date in the form YYYY-MM-DD.") % {"value": value}
        ) from exc


def check_record(record: EntityRecord, row: int, seen_ids: dict) -> list[RowError]:
    """Checks every adapter applies: id, name, type, lengths, dates, duplicates."""
    errors = []
    if not record.entity_id:
        errors.append(RowError(row, _("the entity id is missing."), "entity_id"))
    elif len(record.entity_id) > 100:
        errors.append(RowError(row, _("the entity id is longer than 100 characters."), "entity_id"))
    elif record.entity_id in seen_ids:
        errors.append(
            RowError(
                row,
                _("entity id %(id)s already appears in row %(first)d.")
                % {"id": record.entity_id, "first": seen_ids[record.entity_id]},
                "entity_id",
            )
        )
    else:
        seen_ids[record.entity_id] = row
    if not record.name:
        errors.append(RowError(row, _("the name is missing."), "name"))
    elif len(record.name) > MAX_NAME_LENGTH:
        errors.append(RowError(row, _("the name is longer than 500 characters."), "name"))
    if any(len(alias["text"]) > MAX_NAME_LENGTH for alias in record.aliases):
        errors.append(RowError(row, _("an alias is longer than 500 characters."), "aliases"))
    if record.entity_type not in ENTITY_TYPES:
        errors.append(
            RowError(
                row,
                _("entity type '%(type)s' is not one of entity, individual, vessel, aircraft.")
                % {"type": record.entity_type},
                "entity_type",
            )
        )
    if record.listed_on and record.delisted_on and record.delisted_on < record.listed_on:
        errors.append(
            RowError(row, _("the delisting date is before the listing date."), "delisted_on")
        )
    if record.source_url and not re.match(r"^https?://\S+$", record.source_url):
        errors.append(
            RowError(row, _("the source URL must start with http:// or https://."), "source_url")
        )
    return errors


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030: Excel in China saves CSV files in GBK."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ValueError(_("The file is neither UTF-8 nor GB18030 text.")) from exc
