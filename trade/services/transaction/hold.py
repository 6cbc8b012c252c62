"""Put a transaction on hold (nothing ships) and release it, each with a reason."""

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils.translation import gettext as _

from trade.models import Transaction, TransactionEvent, TransactionState
from trade.services.review import transaction_refresh
from trade.stored_text import StoredText, stored

from .common import _event, _move, _reason, _require_manager, _supersede_approval


def transaction_hold(
    *, transaction: Transaction, user, reason: str | StoredText, source: str = "manual"
) -> Transaction:
    """Put a transaction on hold (nothing ships), with a reason; `source` says who asked
    ("manual", "incident:<reference>", "list update" ...). Holding a transaction already on
    hold records the further reason and changes nothing else. A rejected one cannot be held."""
    _require_manager(transaction, user)
    reason = _reason(reason)
    with db_transaction.atomic():
        locked = Transaction.objects.select_for_update().get(pk=transaction.pk)
        if locked.state == TransactionState.REJECTED:
            raise ValidationError(_("A rejected transaction cannot be put on hold."))
        if locked.state == TransactionState.ON_HOLD:
            _event(
                transaction,
                TransactionEvent.Kind.HELD,
                user=user,
                reason=reason,
                source=source,
                from_state=locked.state,
                to_state=locked.state,
            )
            return locked
        _move(
            transaction,
            TransactionState.ON_HOLD,
            TransactionEvent.Kind.HELD,
            user=user,
            reason=reason,
            source=source,
            held_from=locked.state,
        )
    return transaction


def transaction_release(
    *, transaction: Transaction, user, reason: str, source: str = "manual"
) -> Transaction:
    """Release a hold, with a reason. A draft goes back to draft and a transaction in review
    back to review; an approved one goes back to review too (what caused the hold may have
    changed what the approval relied on), its approval superseded."""
    _require_manager(transaction, user)
    reason = _reason(reason)
    if transaction.state != TransactionState.ON_HOLD:
        raise ValidationError(_("This transaction is not on hold."))
    with db_transaction.atomic():
        if transaction.held_from == TransactionState.APPROVED:
            _supersede_approval(transaction, stored("released_reviewed_again", reason=reason))
        target = (
            TransactionState.DRAFT
            if transaction.held_from == TransactionState.DRAFT
            else TransactionState.IN_REVIEW
        )
        _move(
            transaction,
            target,
            TransactionEvent.Kind.RELEASED,
            user=user,
            reason=reason,
            source=source,
            held_from="",
        )
        transaction_refresh(transaction=transaction)
    return transaction
