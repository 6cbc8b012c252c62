"""Keeping a transaction's review current: the pre-filled red-flag answers and the queue columns
(risk, checks open, end user, value); every service that changes a transaction calls it."""

from decimal import Decimal

from reference.choices import DestinationRiskLevel
from reference.models import RedFlag
from trade.models import (
    PartyRole,
    RiskLevel,
    Transaction,
)

from .checks import review_checklist
from .context import Check, ReviewContext, review_context
from .red_flags import red_flags_prefill


def _risk_level(ctx: ReviewContext, checks: list[Check]) -> str:
    raised = [
        (flag, ctx.answers[flag.pk])
        for flag in ctx.red_flags
        if flag.pk in ctx.answers and ctx.answers[flag.pk].is_raised
    ]
    severe_destination = any(
        r.level in (DestinationRiskLevel.EMBARGO, DestinationRiskLevel.HIGH)
        for r in ctx.destination_risks.values()
    )
    if (
        severe_destination
        or any(flag.severity != RedFlag.Severity.MEDIUM for flag, _a in raised)
        or any(p.true_matches for p in ctx.parties)
    ):
        return RiskLevel.HIGH
    if (
        ctx.is_controlled
        or ctx.destination_risks
        or raised
        or any(p.open_hits for p in ctx.parties)
    ):
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def transaction_refresh(*, transaction: Transaction) -> list[Check]:
    """Re-derive the pre-filled red-flag answers and the queue columns (risk, checks open, end
    user, value) from the current data. Idempotent. Returns the checklist."""
    ctx = review_context(transaction)
    red_flags_prefill(ctx=ctx)
    checks = review_checklist(ctx)
    end_users = ctx.parties_in(PartyRole.END_USER)
    currencies = {line.currency for line in ctx.lines}
    values = {
        "risk_level": _risk_level(ctx, checks),
        "checks_open": sum(1 for check in checks if not check.passed),
        "end_user_name": str(end_users[0].link.party)[:300] if end_users else "",
        "total_value": sum((line.value for line in ctx.lines), Decimal(0)),
        "currency": currencies.pop() if len(currencies) == 1 else ("" if not currencies else "*"),
    }
    Transaction.objects.filter(pk=transaction.pk).update(**values)
    for name, value in values.items():
        setattr(transaction, name, value)
    return checks
