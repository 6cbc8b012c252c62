"""Checking every row of an import file against the registers into a plan, nothing
written; the preview of what the plan would create."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.countries import country_code
from core.imports import (
    ImportPreview,
    PreviewChange,
    RowProblem,
)
from screening.models import Party
from trade.models import Item, PartyRole, Transaction

from .read import read_rows

REQUIRED = ("reference", "destination_country", "end_use", "quantity", "value")
TRUE_WORDS = ("1", "yes", "true", "y", "是", "x")


@dataclass
class _Draft:
    first_row: int
    header: dict
    lines: list = field(default_factory=list)
    parties: list = field(default_factory=list)  # (role, key)


def _date(value: str, errors: list, label: str):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        errors.append(
            (
                label,
                _("%(column)s '%(value)s' is not a date (YYYY-MM-DD).")
                % {"column": label, "value": value},
            )
        )
        return None


def _decimal(value: str, errors: list, label: str, *, positive: bool):
    try:
        number = Decimal(value.replace(",", ""))
    except (InvalidOperation, AttributeError):
        errors.append(
            (
                label,
                _("%(column)s '%(value)s' is not a number.") % {"column": label, "value": value},
            )
        )
        return None
    if (positive and number <= 0) or number < 0:
        errors.append(
            (
                label,
                _("%(column)s must be greater than zero.") % {"column": label}
                if positive
                else _("%(column)s cannot be negative.") % {"column": label},
            )
        )
        return None
    return number


def _country(value: str, errors: list, label: str) -> str:
    code = country_code(value)
    if code is None:
        errors.append(
            (
                label,
                _("%(column)s '%(value)s' is not a country name or ISO code.")
                % {"column": label, "value": value},
            )
        )
        return ""
    return code


@dataclass
class _Plan:
    """What a file would create, read and checked against the register, nothing written."""

    rows_read: int
    problems: list[RowProblem]
    drafts: dict[str, _Draft]
    items_by_ref: dict
    items_by_name: dict
    parties_by_ref: dict


def _plan(*, organisation, content: bytes, filename: str) -> _Plan:
    """Read and check every row. A file that cannot be read is a ValidationError; the rows it
    cannot take are the plan's problems, by row and column."""
    rows = read_rows(content, filename)
    existing_refs = set(
        Transaction.objects.for_organisation(organisation).values_list("reference", flat=True)
    )
    items_by_ref = {
        i.reference: i for i in Item.objects.for_organisation(organisation).exclude(reference="")
    }
    items_by_name: dict[tuple[str, ...], Item] = {
        (i.name, i.model_number): i for i in Item.objects.for_organisation(organisation)
    }
    parties_by_ref = {
        p.reference: p for p in Party.objects.for_organisation(organisation).exclude(reference="")
    }
    errors: list[RowProblem] = []
    drafts: dict[str, _Draft] = {}
    for number, row in rows:
        row_errors: list[tuple[str, str]] = []  # (column, message)
        reference = row.get("reference", "")
        for column in REQUIRED:
            if not row.get(column):
                row_errors.append((column, _("%(column)s is missing.") % {"column": column}))
        if reference in existing_refs:
            row_errors.append(
                ("reference", _("transaction %(ref)s already exists.") % {"ref": reference})
            )
        if len(reference) > 64:
            row_errors.append(("reference", _("the reference is longer than 64 characters.")))
        kind = row.get("kind") or Transaction.Kind.ORDER
        if kind not in Transaction.Kind.values:
            row_errors.append(("kind", _("unknown kind '%(value)s'.") % {"value": kind}))
        stage = row.get("stage") or Transaction.Stage.ENQUIRY
        if stage not in Transaction.Stage.values:
            row_errors.append(("stage", _("unknown stage '%(value)s'.") % {"value": stage}))
        header = {
            "kind": kind,
            "stage": stage,
            "order_date": _date(row.get("order_date", ""), row_errors, "order_date"),
            "planned_shipment_date": _date(
                row.get("planned_shipment_date", ""), row_errors, "planned_shipment_date"
            ),
            "destination_country": _country(
                row.get("destination_country", ""), row_errors, "destination_country"
            ),
            "transit_countries": [
                _country(c, row_errors, "transit_countries")
                for c in row.get("transit_countries", "").replace(",", "|").split("|")
                if c.strip()
            ],
            "end_use": row.get("end_use", ""),
            "customer_reference": row.get("customer_reference", "")[:64],
            "is_intangible": row.get("is_intangible", "").casefold() in TRUE_WORDS,
        }
        quantity = (
            _decimal(row.get("quantity", ""), row_errors, "quantity", positive=True)
            if row.get("quantity")
            else None
        )
        value = (
            _decimal(row.get("value", ""), row_errors, "value", positive=False)
            if row.get("value")
            else None
        )
        currency = (row.get("currency") or "USD").upper()
        if len(currency) != 3 or not currency.isalpha():
            row_errors.append(
                (
                    "currency",
                    _("currency '%(value)s' is not a three-letter code.") % {"value": currency},
                )
            )
        item_key: tuple[str, ...] | None = None
        if row.get("item"):
            if row["item"] not in items_by_ref:
                row_errors.append(
                    (
                        "item",
                        _("no item with number %(ref)s in the item master.") % {"ref": row["item"]},
                    )
                )
            item_key = ("ref", row["item"])
        elif row.get("item_name"):
            item_key = (
                "name",
                row["item_name"][:200],
                row.get("item_model", "")[:120],
                row.get("hs_code", "")[:12],
            )
        else:
            row_errors.append(("item", _("item or item_name is missing.")))
        party_keys: list[tuple[str, tuple[str, ...]]] = []
        for role in PartyRole.values:
            if row.get(role):
                for ref in [r.strip() for r in row[role].split("|") if r.strip()]:
                    if ref not in parties_by_ref:
                        row_errors.append(
                            (
                                role,
                                _("no party with number %(ref)s in the register (%(role)s).")
                                % {"ref": ref, "role": role},
                            )
                        )
                    party_keys.append((role, ("ref", ref)))
            elif row.get(f"{role}_name"):
                country = _country(row.get(f"{role}_country", ""), row_errors, f"{role}_country")
                party_keys.append(
                    (
                        role,
                        (
                            "name",
                            row[f"{role}_name"][:300],
                            row.get(f"{role}_name_latin", "")[:300],
                            country,
                            row.get(f"{role}_address", "")[:500],
                        ),
                    )
                )
        if reference in drafts and not row_errors:
            draft = drafts[reference]
            for name, value_ in header.items():
                if row.get(name) and value_ != draft.header[name]:
                    row_errors.append(
                        (
                            name,
                            _("%(column)s differs from row %(row)d of the same transaction.")
                            % {"column": name, "row": draft.first_row},
                        )
                    )
        if row_errors:
            errors += [RowProblem(number, column, message) for column, message in row_errors]
            continue
        draft = drafts.setdefault(reference, _Draft(first_row=number, header=header))
        draft.lines.append(
            (
                item_key,
                quantity,
                value,
                currency,
                row.get("unit") or "pcs",
                row.get("hs_code", "")[:12],
            )
        )
        for key in party_keys:
            if key not in draft.parties:
                draft.parties.append(key)
    if not errors:
        for draft in drafts.values():
            if not draft.header["end_use"] or not draft.header["destination_country"]:
                errors.append(
                    RowProblem(draft.first_row, "", _("destination and end use are required."))
                )
    return _Plan(
        rows_read=len(rows),
        problems=errors,
        drafts=drafts,
        items_by_ref=items_by_ref,
        items_by_name=items_by_name,
        parties_by_ref=parties_by_ref,
    )


def _existing_party(organisation, key) -> Party | None:
    """The party a row names by name and country, if the register has it."""
    return Party.objects.for_organisation(organisation).filter(name=key[1], country=key[3]).first()


def transactions_preview(*, organisation, content: bytes, filename: str) -> ImportPreview:
    """What importing the file would create (draft transactions, and the parties and items it
    names that the registers lack), nothing written."""
    plan = _plan(organisation=organisation, content=content, filename=filename)
    preview = ImportPreview(rows_read=plan.rows_read, problems=plan.problems)
    if plan.problems:
        return preview
    parties, items = PreviewChange(), PreviewChange()
    seen_parties: set[tuple] = set()
    seen_items: set[tuple] = set()
    for reference, draft in plan.drafts.items():
        preview.new.add(f"{reference} → {draft.header['destination_country']} ({len(draft.lines)})")
        for _role, key in draft.parties:
            if key[0] == "name" and (key[1], key[3]) not in seen_parties:
                seen_parties.add((key[1], key[3]))
                if _existing_party(organisation, key) is None:
                    parties.add(f"{key[1]} ({key[3]})")
        for line in draft.lines:
            item_key = line[0]
            if item_key[0] == "name" and item_key[1:3] not in seen_items:
                seen_items.add(item_key[1:3])
                if item_key[1:3] not in plan.items_by_name:
                    items.add(" ".join(part for part in item_key[1:3] if part))
    preview.others = [(_("New parties"), parties, "parties"), (_("New items"), items, "items")]
    return preview
