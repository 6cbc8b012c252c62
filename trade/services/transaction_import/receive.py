"""A transaction pushed by an ERP through the API."""

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils.translation import gettext as _

from screening.models import Party
from screening.services.parties import party_create
from trade.models import Item, Transaction
from trade.services.review import transaction_refresh

from ..transaction import transaction_create, transaction_line_add, transaction_party_add
from .create import ROLE_PARTY_TYPES

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


def transaction_receive(*, organisation, user, data: dict, submit: bool = False) -> Transaction:
    """Create a transaction pushed by an ERP (already shape-checked by the API serializer).
    Parties are found by their register number, else by exact name and country, else created
    and screened; items by item number, else by product and model, else created unclassified.
    With `submit` the transaction goes straight to review. Atomic."""
    from ..transaction import transaction_submit

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
