"""The party register: create, change, import and screen parties."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.countries import country_code
from core.i18n import joined, parenthesised
from core.imports import (
    ImportPreview,
    RowProblem,
    canonical_column,
    csv_error_message,
    row_problems_raise,
)
from screening.adapters.base import decode_text
from screening.models import (
    Adjudication,
    HitDecision,
    Party,
    PartyType,
    Screening,
    ScreeningStatus,
)
from screening.services.screening import screening_run

PARTY_FIELDS = (
    "name",
    "name_latin",
    "party_type",
    "is_individual",
    "military_user",
    "country",
    "address",
    "reference",
    "notes",
    "is_active",
)
SCREENED_FIELDS = ("name", "name_latin", "country", "is_individual")
IMPORT_COLUMNS = (
    "name",
    "name_latin",
    "party_type",
    "country",
    "address",
    "reference",
    "is_individual",
    "notes",
)
MAX_IMPORT_ROWS = 10_000


def _check_reference(*, organisation, reference: str, exclude_pk=None) -> None:
    if not reference:
        return
    clash = Party.objects.for_organisation(organisation).filter(reference=reference)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"reference": _("Another party already has this number.")})


def party_create(*, organisation, user, screen: bool = True, **values) -> Party:
    """Create a party and, by default, screen it at once."""
    _check_reference(organisation=organisation, reference=values.get("reference", ""))
    with transaction.atomic():
        party = Party(organisation=organisation, created_by=user, **values)
        party.full_clean(exclude=["organisation", "last_screening"])
        party.save()
        if screen:
            party_screen(party=party, user=user)
    return party


def party_update(*, party: Party, user, **values) -> Party:
    """Change a party; when a screened field changed, screen it again (a remembered decision no
    longer applies to the new name)."""
    _check_reference(
        organisation=party.organisation, reference=values.get("reference", ""), exclude_pk=party.pk
    )
    changed = any(str(getattr(party, f)) != str(values[f]) for f in SCREENED_FIELDS if f in values)
    with transaction.atomic():
        for field, value in values.items():
            setattr(party, field, value)
        party.full_clean(exclude=["organisation", "last_screening"])
        party.save()
        if changed:
            party_screen(party=party, user=user)
    return party


def party_screen(
    *, party: Party, user=None, job=None, source: str = Screening.Source.PARTY
) -> Screening:
    """Screen the party now (all its names) and update its status badge."""
    screening = screening_run(
        organisation=party.organisation,
        names=party.screening_names,
        country=str(party.country or ""),
        address=party.address,
        source=source,
        user=user,
        job=job,
        party=party,
        entity_type="person" if party.is_individual else "organization",
    )
    party.last_screening = screening
    party.last_screened_at = screening.created_at
    party_status_refresh(party=party, screening=screening)
    return screening


def party_status_refresh(*, party: Party, screening: Screening | None = None) -> str:
    """Derive the badge from the party's last screening and the decisions on its hits."""
    screening = screening or party.last_screening
    if screening is None:
        status = ScreeningStatus.NOT_SCREENED
    else:
        alerts = list(
            screening.hits.exclude(decision=HitDecision.CLEAR).select_related("adjudication")
        )
        outcomes = []
        for hit in alerts:
            try:
                outcomes.append(hit.adjudication.outcome)
            except Adjudication.DoesNotExist:
                outcomes.append(Adjudication.Outcome.FALSE_POSITIVE if hit.remembered_id else None)
        if not alerts:
            status = ScreeningStatus.CLEAR
        elif Adjudication.Outcome.TRUE_MATCH in outcomes:
            status = ScreeningStatus.MATCH
        elif None in outcomes:
            status = ScreeningStatus.NEEDS_REVIEW
        else:
            status = ScreeningStatus.CLEARED
    Party.objects.filter(pk=party.pk).update(
        screening_status=status,
        last_screening=screening,
        last_screened_at=screening.created_at if screening else None,
        updated_at=timezone.now(),
    )
    party.screening_status = status
    return status


@dataclass
class PartyImportOutcome:
    created: list[Party]
    updated: list[Party]
    unchanged: int = 0


def _rows_from_upload(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The canonical column names of the header and the non-blank rows, numbered as in the
    file (the header is row 1). A file that cannot be read at all is a ValidationError."""
    if filename.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(
                _("The Excel file cannot be read (%(error)s).") % {"error": exc}
            ) from exc
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [canonical_column(c) for c in next(rows, [])]
        data = [
            (
                number,
                {
                    header[i]: ("" if v is None else str(v)).strip()
                    for i, v in enumerate(row)
                    if i < len(header)
                },
            )
            for number, row in enumerate(rows, start=2)
        ]
    elif filename.lower().endswith(".csv"):
        try:
            text = decode_text(content)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        reader = csv.DictReader(io.StringIO(text))
        reader.fieldnames = [canonical_column(c) for c in reader.fieldnames or []]
        header = list(reader.fieldnames)
        try:
            data = [
                (n, {k: (v or "").strip() for k, v in row.items() if k})
                for n, row in enumerate(reader, start=2)
            ]
        except csv.Error as exc:
            raise ValidationError(csv_error_message(exc, reader.line_num)) from exc
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    if "name" not in header:
        raise ValidationError(_("Row 1: the header lacks the column: name."))
    data = [(n, row) for n, row in data if any(row.values())]
    if len(data) > MAX_IMPORT_ROWS:
        raise ValidationError(_("At most 10,000 parties per file."))
    return header, data


_TYPE_LOOKUP: dict[str, str] = {}


def _party_type(value: str) -> str | None:
    if not _TYPE_LOOKUP:
        for choice in PartyType:
            _TYPE_LOOKUP[choice.value] = choice.value
            _TYPE_LOOKUP[str(choice.label).casefold()] = choice.value
            with translation.override("zh-hans"):
                _TYPE_LOOKUP[str(choice.label).casefold()] = choice.value
    return _TYPE_LOOKUP.get((value or "customer").strip().casefold())


_TRUE_WORDS = ("1", "yes", "true", "y", "是", "x")


@dataclass
class _PlannedRow:
    """One good row of the file: its values, the party it updates (matched by number) and the
    fields it changes there."""

    values: dict
    party: Party | None = None
    changed: tuple[str, ...] = ()


@dataclass
class _PartyPlan:
    rows_read: int
    problems: list[RowProblem]
    rows: list[_PlannedRow]


def _row_values(number: int, row: dict, seen_refs: dict[str, int]):
    """The values of one row, or its problems (by column)."""
    problems = []
    name = row.get("name", "")
    if not name:
        problems.append(RowProblem(number, "name", _("the name is missing.")))
    elif len(name) > 300:
        problems.append(RowProblem(number, "name", _("a name is longer than 300 characters.")))
    if len(row.get("name_latin", "")) > 300:
        problems.append(
            RowProblem(number, "name_latin", _("a name is longer than 300 characters."))
        )
    party_type = _party_type(row.get("party_type", ""))
    if party_type is None:
        problems.append(
            RowProblem(
                number,
                "party_type",
                _("unknown party type '%(value)s'.") % {"value": row.get("party_type")},
            )
        )
    country = country_code(row.get("country", ""))
    if country is None:
        problems.append(
            RowProblem(
                number,
                "country",
                _("country '%(value)s' is not a country name or ISO code.")
                % {"value": row.get("country")},
            )
        )
    if len(row.get("address", "")) > 500:
        problems.append(
            RowProblem(number, "address", _("the address is longer than 500 characters."))
        )
    reference = row.get("reference", "")
    if len(reference) > 64:
        problems.append(
            RowProblem(number, "reference", _("the customer number is longer than 64 characters."))
        )
    elif reference and reference in seen_refs:
        problems.append(
            RowProblem(
                number,
                "reference",
                _("customer number %(ref)s already appears in row %(row)d.")
                % {"ref": reference, "row": seen_refs[reference]},
            )
        )
    if reference:
        seen_refs.setdefault(reference, number)
    values = {
        "name": name,
        "name_latin": row.get("name_latin", ""),
        "party_type": party_type,
        "country": country or "",
        "address": row.get("address", ""),
        "reference": reference,
        "is_individual": row.get("is_individual", "").strip().casefold() in _TRUE_WORDS,
        "notes": row.get("notes", ""),
    }
    return values, problems


def _party_plan(*, organisation, content: bytes, filename: str) -> _PartyPlan:
    """Read and check the whole file, and match its rows with the register, writing nothing.
    A row whose customer number is a party's updates that party, in the columns the file has
    (a column left out of the file leaves the party's value as it is)."""
    header, data = _rows_from_upload(content, filename)
    columns = set(header) & set(IMPORT_COLUMNS)
    existing = {
        p.reference: p for p in Party.objects.for_organisation(organisation).exclude(reference="")
    }
    problems: list[RowProblem] = []
    planned: list[_PlannedRow] = []
    seen_refs: dict[str, int] = {}
    for number, row in data:
        values, row_problems = _row_values(number, row, seen_refs)
        if row_problems:
            problems += row_problems
            continue
        party = existing.get(values["reference"]) if values["reference"] else None
        if party is None:
            planned.append(_PlannedRow(values=values))
            continue
        values = {f: v for f, v in values.items() if f in columns}
        changed = tuple(f for f, v in values.items() if str(getattr(party, f)) != str(v))
        planned.append(_PlannedRow(values=values, party=party, changed=changed))
    if not problems and not planned:
        raise ValidationError(_("The file has no parties."))
    return _PartyPlan(rows_read=len(data), problems=problems, rows=planned)


def _label(values: dict, party: Party | None = None) -> str:
    name = values.get("name") or (party.name if party else "")
    reference = values.get("reference") or (party.reference if party else "")
    return f"{reference} {name}".strip()


def _field_label(name: str) -> str:
    """A party field's name for the reader ("address"), in the reader's language."""
    return str(getattr(Party._meta.get_field(name), "verbose_name", name))


def party_import_preview(*, organisation, content: bytes, filename: str) -> ImportPreview:
    """What importing the file would do to the party register (new parties, parties updated
    and in which fields, rows that change nothing), or its row problems; nothing written."""
    plan = _party_plan(organisation=organisation, content=content, filename=filename)
    preview = ImportPreview(rows_read=plan.rows_read, problems=plan.problems)
    if plan.problems:
        return preview
    for row in plan.rows:
        if row.party is None:
            preview.new.add(_label(row.values))
        elif row.changed:
            fields = joined(_field_label(f) for f in row.changed)
            preview.updated.add(_label(row.values, row.party) + parenthesised(fields))
        else:
            preview.unchanged.add(_label(row.values, row.party))
    return preview


def party_import(*, organisation, user, content: bytes, filename: str) -> PartyImportOutcome:
    """Import parties from CSV or XLSX: all or nothing, every bad row reported by number.
    A row whose `reference` matches an existing party updates it (a row that changes nothing
    is not written). The register is then re-screened by a background job."""
    plan = _party_plan(organisation=organisation, content=content, filename=filename)
    row_problems_raise(plan.problems)
    created, updated, unchanged = [], [], 0
    with transaction.atomic():
        for row in plan.rows:
            party = row.party
            if party is None:
                party = Party(organisation=organisation, created_by=user, **row.values)
                party.save()
                created.append(party)
            elif row.changed:
                for field in row.changed:
                    setattr(party, field, row.values[field])
                party.save()
                updated.append(party)
            else:
                unchanged += 1
        from screening.jobs import rescreen_enqueue  # screening.jobs imports this module

        rescreen_enqueue(organisation=organisation, user=user, reason="import")
    return PartyImportOutcome(created=created, updated=updated, unchanged=unchanged)
