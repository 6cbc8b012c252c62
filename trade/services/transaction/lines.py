"""The transaction's lines (items, quantities, values, HS codes). After approval a changed line
reopens the review, except a covered line's quantity or value within the licence's balance,
which is added to the approval's `amendments`."""

from decimal import Decimal

from django.db import transaction as db_transaction
from django.db.models import Sum
from django.utils import timezone

from trade.models import Approval, LicenceDrawdown, Transaction, TransactionEvent, TransactionItem
from trade.services.review import licence_needs, review_context, transaction_refresh
from trade.stored_text import stored

from .common import (
    _check_editable,
    _event,
    _require_drafter,
    _same_org,
    _was_approved,
    transaction_reopen,
)

# The lines' own key fields: any change to them after approval reopens the review, except a
# quantity or value change within the balance of the licence the approval drew down.
LINE_KEY_FIELDS = ("item", "quantity", "value", "currency", "unit", "hs_code")


def transaction_line_add(
    *,
    transaction: Transaction,
    user,
    item,
    quantity,
    value,
    currency: str = "USD",
    unit: str = "pcs",
    hs_code: str = "",
    refresh: bool = True,
) -> TransactionItem:
    """Add an item. After approval a new item reopens the review."""
    _require_drafter(transaction, user)
    _check_editable(transaction)
    _same_org(item, transaction.organisation, "item")
    line = TransactionItem(
        organisation_id=transaction.organisation_id,
        transaction=transaction,
        item=item,
        quantity=Decimal(quantity),
        value=Decimal(value),
        currency=(currency or "USD").upper(),
        unit=unit or "pcs",
        hs_code=hs_code or item.hs_code,
    )
    line.full_clean(exclude=["organisation", "transaction"])
    with db_transaction.atomic():
        line.save()
        if _was_approved(transaction):
            transaction_reopen(
                transaction=transaction,
                user=user,
                reason=stored("item_added_after_approval", item=str(item)),
            )
        else:
            _event(
                transaction,
                TransactionEvent.Kind.CHANGED,
                user=user,
                reason=stored("item_added", item=str(item)),
            )
        if refresh:
            transaction_refresh(transaction=transaction)
    return line


def _covered_lines_and_totals(transaction: Transaction) -> tuple[set, Decimal, Decimal]:
    ctx = review_context(transaction)
    item_ids = ctx.licence_item_ids
    covered = {line.pk for line in ctx.controlled_lines if line.item_id in item_ids}
    quantity, value, _currencies = licence_needs(ctx)
    return covered, quantity, value


def transaction_line_update(
    *, line: TransactionItem, user, quantity=None, value=None, hs_code=None
) -> TransactionItem:
    """Change a line's quantity, value or HS code. After approval every change reopens the
    review, except a quantity or value change of a line the licence covers that stays within
    the licence's balance: the draw-down follows and the change is added to the approval's
    record of changes after the approval."""
    transaction = line.transaction
    _require_drafter(transaction, user)
    _check_editable(transaction)
    before = {"quantity": line.quantity, "value": line.value, "hs_code": line.hs_code}
    if quantity is not None:
        line.quantity = Decimal(quantity)
    if value is not None:
        line.value = Decimal(value)
    if hs_code is not None:
        line.hs_code = hs_code
    line.full_clean(exclude=["organisation", "transaction"])
    changed = [name for name, old in before.items() if getattr(line, name) != old]
    if not changed:
        return line
    params = {
        "item": str(line.item),
        "quantity": f"{line.quantity.normalize():f}",
        "value": f"{line.value:f}",
        "currency": line.currency,
        "hs_code": line.hs_code,
    }
    with db_transaction.atomic():
        line.save()
        if _was_approved(transaction):
            _after_approved_line_change(transaction, line, user, changed, params)
        else:
            _event(
                transaction,
                TransactionEvent.Kind.CHANGED,
                user=user,
                reason=stored("item_changed", **params),
            )
        transaction_refresh(transaction=transaction)
    return line


def _after_approved_line_change(
    transaction: Transaction, line: TransactionItem, user, changed: list[str], params: dict
) -> None:
    drawdown = (
        LicenceDrawdown.objects.select_for_update()
        .select_related("licence")
        .filter(transaction=transaction, released_at__isnull=True)
        .first()
    )
    covered, quantity, value = _covered_lines_and_totals(transaction)
    if drawdown is None or "hs_code" in changed or line.pk not in covered:
        # No licence balance to stay within: a changed line is a changed key element.
        transaction_reopen(
            transaction=transaction,
            user=user,
            reason=stored("item_changed_after_approval", **params),
        )
        return
    licence = drawdown.licence
    others = (
        LicenceDrawdown.objects.filter(licence=licence, released_at__isnull=True)
        .exclude(pk=drawdown.pk)
        .aggregate(quantity=Sum("quantity"), value=Sum("value"))
    )
    beyond = (
        licence.quantity_limit is not None
        and (others["quantity"] or 0) + quantity > licence.quantity_limit
    ) or (licence.value_limit is not None and (others["value"] or 0) + value > licence.value_limit)
    licence_params = {key: params[key] for key in ("item", "quantity", "value", "currency")} | {
        "licence": str(licence)
    }
    if beyond:
        transaction_reopen(
            transaction=transaction,
            user=user,
            reason=stored("item_changed_beyond_licence", **licence_params),
        )
        return
    previous = {"quantity": f"{drawdown.quantity:f}", "value": f"{drawdown.value:f}"}
    LicenceDrawdown.objects.filter(pk=drawdown.pk).update(quantity=quantity, value=value)
    text = stored("item_changed_within_licence", **licence_params)
    approval = (
        Approval.objects.select_for_update()
        .filter(transaction=transaction, superseded_at__isnull=True)
        .order_by("-approved_at", "-pk")
        .first()
    )
    if approval is not None:
        approval.amendments = [
            *approval.amendments,
            {
                "at": timezone.now().isoformat(),
                "by": str(user) if user else "",
                "by_id": getattr(user, "pk", None),
                "code": text.code,
                "params": dict(text.params),
                "line_id": line.pk,
                "drawdown_before": previous,
                "drawdown_after": {"quantity": f"{quantity:f}", "value": f"{value:f}"},
            },
        ]
        approval.save(update_fields=["amendments"])
    _event(transaction, TransactionEvent.Kind.CHANGED, user=user, reason=text)


def transaction_line_remove(*, line: TransactionItem, user) -> None:
    transaction = line.transaction
    _require_drafter(transaction, user)
    _check_editable(transaction)
    with db_transaction.atomic():
        item = line.item
        line.delete()
        if _was_approved(transaction):
            transaction_reopen(
                transaction=transaction,
                user=user,
                reason=stored("item_removed_after_approval", item=str(item)),
            )
        else:
            _event(
                transaction,
                TransactionEvent.Kind.CHANGED,
                user=user,
                reason=stored("item_removed", item=str(item)),
            )
        transaction_refresh(transaction=transaction)
