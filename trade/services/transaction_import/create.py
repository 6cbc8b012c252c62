"""Creating the draft transactions of a checked import file, with the parties and items they
name that the registers lack. All or nothing."""

from dataclasses import dataclass

from django.db import transaction as db_transaction

from core.imports import (
    row_problems_raise,
)
from screening.jobs import rescreen_enqueue
from screening.models import Party, PartyType
from trade.models import Item, PartyRole, Transaction
from trade.services.review import transaction_refresh

from ..transaction import transaction_create, transaction_line_add, transaction_party_add
from .check import _existing_party, _plan

ROLE_PARTY_TYPES = {
    PartyRole.BUYER: PartyType.CUSTOMER,
    PartyRole.CONSIGNEE: PartyType.CONSIGNEE,
    PartyRole.END_USER: PartyType.END_USER,
    PartyRole.INTERMEDIARY: PartyType.AGENT,
    PartyRole.FORWARDER: PartyType.FORWARDER,
    PartyRole.BANK: PartyType.BANK,
}


@dataclass
class ImportOutcome:
    transactions: list[Transaction]
    parties_created: int
    items_created: int


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
