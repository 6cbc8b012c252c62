"""The transaction's parties: name and remove them, screen them on the current list versions,
and re-check approved transactions after a list update."""

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils.translation import gettext as _

from screening.models import Party
from screening.services.parties import party_screen
from trade.models import (
    PartyRole,
    Transaction,
    TransactionEvent,
    TransactionParty,
    TransactionState,
)
from trade.services.review import review_context, transaction_refresh
from trade.stored_text import stored

from .common import (
    _check_editable,
    _event,
    _require_drafter,
    _same_org,
    _was_approved,
    transaction_reopen,
)


def transaction_party_add(
    *, transaction: Transaction, user, party: Party, role: str, refresh: bool = True
) -> TransactionParty:
    """Name a party of the register in a role. After approval a new party reopens the review:
    the approval's screening evidence does not cover it."""
    _require_drafter(transaction, user)
    _check_editable(transaction)
    _same_org(party, transaction.organisation, "party")
    if role not in PartyRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if TransactionParty.objects.filter(transaction=transaction, role=role, party=party).exists():
        raise ValidationError({"party": _("This party already has this role.")})
    with db_transaction.atomic():
        link = TransactionParty.objects.create(
            organisation_id=transaction.organisation_id,
            transaction=transaction,
            role=role,
            party=party,
        )
        text = stored("party_added", role=role, party=str(party))
        if _was_approved(transaction):
            transaction_reopen(transaction=transaction, user=user, reason=text)
        else:
            _event(transaction, TransactionEvent.Kind.CHANGED, user=user, reason=text)
        if refresh:
            transaction_refresh(transaction=transaction)
    return link


def transaction_party_remove(*, link: TransactionParty, user) -> None:
    transaction = link.transaction
    _require_drafter(transaction, user)
    _check_editable(transaction)
    with db_transaction.atomic():
        text = stored("party_removed", role=link.role, party=str(link.party))
        link.delete()
        if _was_approved(transaction):
            transaction_reopen(transaction=transaction, user=user, reason=text)
        else:
            _event(transaction, TransactionEvent.Kind.CHANGED, user=user, reason=text)
        transaction_refresh(transaction=transaction)


def transaction_screen_parties(
    *, transaction: Transaction, user=None, only_stale: bool = True
) -> int:
    """Screen the transaction's parties that are not screened on the current list versions (all
    of them with only_stale=False). Returns how many were screened."""
    ctx = review_context(transaction)
    screened = 0
    seen = set()
    for party in ctx.parties:
        if party.link.party_id in seen:
            continue
        seen.add(party.link.party_id)
        if only_stale and party.status not in ("not_screened", "stale"):
            continue
        party_screen(party=party.link.party, user=user)
        screened += 1
    transaction_refresh(transaction=transaction)
    return screened


def transactions_recheck_after_rescreen(*, organisation) -> list[Transaction]:
    """After a list got a new version and the parties were re-screened: re-check every
    approved-but-not-shipped transaction; one with a new undecided hit (or a party still not
    screened on the current versions, which is screened now) goes back to review. Idempotent."""
    reopened = []
    approved = (
        Transaction.objects.for_organisation(organisation)
        .filter(state=TransactionState.APPROVED, shipped_on__isnull=True)
        .select_related("organisation", "licence")
        .order_by("pk")
    )
    for transaction in approved:
        ctx = review_context(transaction)
        if any(p.status in ("not_screened", "stale") for p in ctx.parties):
            transaction_screen_parties(transaction=transaction)
            ctx = review_context(transaction)
        hits = [(p, h) for p in ctx.parties for h in p.open_hits]
        if hits:
            party, hit = hits[0]
            transaction_reopen(
                transaction=transaction,
                reason=stored(
                    "list_update_hit",
                    party=str(party.link.party),
                    name=hit.matched_name,
                    list=hit.list_code,
                ),
                source="list update",
            )
            reopened.append(transaction)
        transaction_refresh(transaction=transaction)
    return reopened
