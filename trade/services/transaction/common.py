"""What every change to a transaction shares: who may do it, its event, its state move, and
reopening the review when an approved transaction's key element changes."""

from typing import overload

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.permissions import require_role
from accounts.roles import Role
from trade.models import Approval, LicenceDrawdown, Transaction, TransactionEvent, TransactionState
from trade.stored_text import StoredText, split

MIN_REASON_LENGTH = 5


def _role(*, organisation, user) -> str | None:
    if user is None:
        return None
    membership = Membership.objects.active().filter(organisation=organisation, user=user).first()
    return membership.role if membership else None


def _require(*, organisation, user, roles, what: str) -> None:
    require_role(organisation=organisation, user=user, roles=roles, message=what)


def _require_manager(transaction: Transaction, user) -> None:
    _require(
        organisation=transaction.organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER},
        what="compliance managers only",
    )


def _require_drafter(transaction_or_org, user) -> None:
    organisation = getattr(transaction_or_org, "organisation", transaction_or_org)
    _require(
        organisation=organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER, Role.STAFF},
        what="compliance managers and staff only",
    )


@overload
def _reason(reason: StoredText) -> StoredText: ...
@overload
def _reason(reason: str) -> str: ...
def _reason(reason):
    """A person's reason, stripped and long enough; a system sentence (`StoredText`) as it is."""
    if isinstance(reason, StoredText):
        return reason
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Give the reason, in a sentence a reviewer can follow.")}
        )
    return reason


def _event(transaction, kind, *, user=None, reason="", source="", from_state="", to_state=""):
    """Record an event; a system sentence (`StoredText`) is stored as its code and parameters."""
    text, code, params = split(reason)
    return TransactionEvent.objects.create(
        organisation_id=transaction.organisation_id,
        transaction=transaction,
        kind=kind,
        actor=user,
        reason=text,
        reason_code=code,
        reason_params=params,
        source=source,
        from_state=from_state,
        to_state=to_state,
    )


def _move(transaction: Transaction, state: str, kind, *, user, reason="", source="", **fields):
    """Move the transaction to `state` (setting any other `fields` with it), save it and record
    the event, with the reason on both."""
    previous = transaction.state
    transaction.state = state
    transaction.state_reason, transaction.state_reason_code, transaction.state_reason_params = (
        split(reason)
    )
    transaction.state_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(transaction, name, value)
    transaction.save()
    _event(
        transaction,
        kind,
        user=user,
        reason=reason,
        source=source,
        from_state=previous,
        to_state=state,
    )


def _check_editable(transaction: Transaction) -> None:
    if not transaction.is_editable:
        raise ValidationError(_("A rejected transaction cannot be changed."))


def _supersede_approval(transaction: Transaction, reason) -> None:
    now = timezone.now()
    text, code, params = split(reason)
    Approval.objects.filter(transaction=transaction, superseded_at__isnull=True).update(
        superseded_at=now,
        superseded_reason=text,
        superseded_reason_code=code,
        superseded_reason_params=params,
    )
    LicenceDrawdown.objects.filter(transaction=transaction, released_at__isnull=True).update(
        released_at=now, release_reason=text[:300]
    )


def transaction_reopen(
    *, transaction: Transaction, user=None, reason: str | StoredText, source: str = "manual"
) -> bool:
    """Put an approved transaction (or a held one that was approved) back in review: the
    approval is superseded and its licence draw-down given back. Returns False when there was
    no approval to reopen."""
    if transaction.state == TransactionState.APPROVED:
        with db_transaction.atomic():
            _supersede_approval(transaction, reason)
            _move(
                transaction,
                TransactionState.IN_REVIEW,
                TransactionEvent.Kind.REOPENED,
                user=user,
                reason=reason,
                source=source,
            )
        return True
    if (
        transaction.state == TransactionState.ON_HOLD
        and transaction.held_from == TransactionState.APPROVED
    ):
        with db_transaction.atomic():
            _supersede_approval(transaction, reason)
            transaction.held_from = TransactionState.IN_REVIEW
            transaction.save()
            _event(
                transaction,
                TransactionEvent.Kind.REOPENED,
                user=user,
                reason=reason,
                source=source,
                from_state=TransactionState.APPROVED,
                to_state=TransactionState.IN_REVIEW,
            )
        return True
    return False


def _was_approved(transaction: Transaction) -> bool:
    return transaction.state == TransactionState.APPROVED or (
        transaction.state == TransactionState.ON_HOLD
        and transaction.held_from == TransactionState.APPROVED
    )


def _same_org(obj, organisation, field_name: str) -> None:
    if obj.organisation_id != organisation.pk:
        raise ValidationError({field_name: _("Choose a record of this organisation.")})
