"""Import export transactions (and the parties and items they name) from CSV or XLSX.

One row per item line; rows with the same reference form one transaction. All or nothing: any
bad row rejects the whole file, and every error names its row and reason. The format is
documented in docs/transactions-import.md.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.countries import country_code
from core.imports import (
    ImportPreview,
    PreviewChange,
    RowProblem,
    canonical_column,
    csv_error_message,
    row_problems_raise,
)
from screening.jobs import rescreen_enqueue
from screening.models import Party, PartyType
from screening.services.parties import party_create
from trade.models import Item, PartyRole, Transaction
from trade.services.review import transaction_refresh

from .transaction import transaction_create, transaction_line_add, transaction_party_add

MAX_ROWS = 5_000
REQUIRED = ("reference", "destination_country", "end_use", "quantity", "value")
HEADER_FIELDS = (
    "kind",
    "stage",
    "order_date",
    "planned_shipment_date",
    "destination_country",
    "transit_countries",
    "end_use",
    "customer_reference",
    "is_intangible",
)
ROLE_PARTY_TYPES = {
    PartyRole.BUYER: PartyType.CUSTOMER,
    PartyRole.CONSIGNEE: PartyType.CONSIGNEE,
    PartyRole.END_USER: PartyType.END_USER,
    PartyRole.INTERMEDIARY: PartyType.AGENT,
    PartyRole.FORWARDER: PartyType.FORWARDER,
    PartyRole.BANK: PartyType.BANK,
}
TRUE_WORDS = ("1", "yes", "true", "y", "是", "x")


@dataclass
class ImportOutcome:
    transactions: list[Transaction]
    parties_created: int
    items_created: int


@dataclass
class _Draft:
    first_row: int
    header: dict
    lines: list = field(default_factory=list)
    parties: list = field(default_factory=list)  # (role, key)


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
            _("Row 1: the header lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    data = [(n, row) for n, row in data if any(row.values())]
    if len(data) > MAX_ROWS:
        raise ValidationError(_("At most %(count)d rows per file.") % {"count": MAX_ROWS})
    if not data:
        raise ValidationError(_("The file has no transactions."))
    return data


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


def transactions_import(*, organisation, user, content: bytes, filename: str) -> ImportOutcome:
    """Import the file as draft transactions. All or nothing."""
    plan = _plan(organisation=organisation, content=content, filename=filename)
    row_problems_raise(plan.problems)
    drafts, items_by_name = plan.drafts, plan.items_by_name
    parties_by_ref, items_by_ref = plan.parties_by_ref, plan.items_by_ref
    created_parties, created_items, transactions = 0, 0, []
    new_parties: dict[tuple, Party] = {}
    with db_transaction.atomic():
        for reference, draft in drafts.items():
            transaction = transaction_create(
                organisation=organisation,
                user=user,
                source=Transaction.Source.IMPORT,
                refresh=False,
                reference=reference,
                **draft.header,
            )
            for role, key in draft.parties:
                if key[0] == "ref":
                    party = parties_by_ref[key[1]]
                else:
                    party = new_parties.get((key[1], key[3]))
                    if party is None:
                        party = _existing_party(organisation, key)
                    if party is None:
                        party = Party.objects.create(
                            organisation=organisation,
                            created_by=user,
                            name=key[1],
                            name_latin=key[2],
                            country=key[3],
                            address=key[4],
                            party_type=ROLE_PARTY_TYPES[role],
                        )
                        created_parties += 1
                    new_parties[(key[1], key[3])] = party
                transaction_party_add(
                    transaction=transaction, user=user, party=party, role=role, refresh=False
                )
            for item_key, quantity, value, currency, unit, hs_code in draft.lines:
                if item_key[0] == "ref":
                    item = items_by_ref[item_key[1]]
                else:
                    item = items_by_name.get(item_key[1:3])
                    if item is None:
                        item = Item.objects.create(
                            organisation=organisation,
                            created_by=user,
                            name=item_key[1],
                            model_number=item_key[2],
                            hs_code=item_key[3],
                        )
                        items_by_name[item_key[1:3]] = item
                        created_items += 1
                transaction_line_add(
                    transaction=transaction,
                    user=user,
                    item=item,
                    quantity=quantity,
                    value=value,
                    currency=currency,
                    unit=unit,
                    hs_code=hs_code,
                    refresh=False,
                )
            transaction_refresh(transaction=transaction)
            transactions.append(transaction)
        if created_parties:
            rescreen_enqueue(organisation=organisation, user=user, reason="transaction import")
    return ImportOutcome(
        transactions=transactions, parties_created=created_parties, items_created=created_items
    )


def transaction_receive(*, organisation, user, data: dict, submit: bool = False) -> Transaction:
    """Create a transaction pushed by an ERP (already shape-checked by the API serializer).
    Parties are found by their register number, else by exact name and country, else created
    and screened; items by item number, else by product and model, else created unclassified.
    With `submit` the transaction goes straight to review. Atomic."""
    from .transaction import transaction_submit

    header = {name: data[name] for name in HEADER_FIELDS if name in data}
    header["transit_countries"] = list(header.get("transit_countries") or [])
    with db_transaction.atomic():
        transaction = transaction_create(
            organisation=organisation,
            user=user,
            source=Transaction.Source.API,
            refresh=False,
            reference=data["reference"],
            **header,
        )
        for entry in data.get("parties", []):
            party = None
            if entry.get("reference"):
                party = (
                    Party.objects.for_organisation(organisation)
                    .filter(reference=entry["reference"])
                    .first()
                )
            if party is None and entry.get("name"):
                party = (
                    Party.objects.for_organisation(organisation)
                    .filter(name=entry["name"], country=entry.get("country", ""))
                    .first()
                )
            if party is None:
                if not entry.get("name"):
                    raise ValidationError(
                        {
                            "parties": _(
                                "No party with number %(ref)s; send its name to create it."
                            )
                            % {"ref": entry.get("reference")}
                        }
                    )
                party = party_create(
                    organisation=organisation,
                    user=user,
                    name=entry["name"],
                    name_latin=entry.get("name_latin", ""),
                    country=entry.get("country", ""),
                    address=entry.get("address", ""),
                    reference=entry.get("reference", ""),
                    party_type=ROLE_PARTY_TYPES[entry["role"]],
                )
            if not transaction.parties.filter(role=entry["role"], party=party).exists():
                transaction_party_add(
                    transaction=transaction,
                    user=user,
                    party=party,
                    role=entry["role"],
                    refresh=False,
                )
        for entry in data["items"]:
            item = None
            if entry.get("item_reference"):
                item = (
                    Item.objects.for_organisation(organisation)
                    .filter(reference=entry["item_reference"])
                    .first()
                )
            if item is None and entry.get("name"):
                item = (
                    Item.objects.for_organisation(organisation)
                    .filter(name=entry["name"], model_number=entry.get("model", ""))
                    .first()
                )
            if item is None:
                if not entry.get("name"):
                    raise ValidationError(
                        {
                            "items": _("No item with number %(ref)s; send its name to create it.")
                            % {"ref": entry.get("item_reference")}
                        }
                    )
                item = Item.objects.create(
                    organisation=organisation,
                    created_by=user,
                    name=entry["name"],
                    model_number=entry.get("model", ""),
                    hs_code=entry.get("hs_code", ""),
                    reference=entry.get("item_reference", ""),
                )
            transaction_line_add(
                transaction=transaction,
                user=user,
                item=item,
                quantity=entry["quantity"],
                value=entry["value"],
                currency=entry.get("currency", "USD"),
                unit=entry.get("unit", "pcs"),
                hs_code=entry.get("hs_code", ""),
                refresh=False,
            )
        transaction_refresh(transaction=transaction)
        if submit:
            transaction_submit(transaction=transaction, user=user)
    return transaction
