"""Who may approve a transaction: a compliance manager who neither created nor submitted it and
breaks no segregation-of-duties rule of the programme."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from reference.choices import Duty
from trade.hooks import approver_rule_reasons
from trade.models import Transaction
from trade.services.review import ReviewContext, hit_is_decided, review_context

from .common import _role


@dataclass
class ApproverCheck:
    user: User
    reasons: list[str]

    @property
    def may_approve(self) -> bool:
        return not self.reasons


def _duties_on(transaction: Transaction, user, ctx: ReviewContext | None = None) -> set[str]:
    """What `user` has done on this transaction, as duty codes, besides reviewing it now."""
    duties: set[str] = {Duty.COMPLIANCE_REVIEW}
    if transaction.sales_approved_by_id == user.pk:
        duties.add(Duty.SALES_APPROVAL)
    ctx = ctx or review_context(transaction)
    for party in ctx.parties:
        for hit in [*party.true_matches, *party.false_positives]:
            adjudication = hit.adjudication if hit_is_decided(hit) else hit.remembered
            if adjudication is not None and adjudication.decided_by_id == user.pk:
                duties.add(Duty.SCREENING_DECISION)
    for line in ctx.lines:
        classification = line.item.current_classification
        if classification and user.pk in (
            classification.classified_by_id,
            classification.reviewed_by_id,
        ):
            duties.add(Duty.ITEM_CLASSIFICATION)
    if any(d.drawn_by_id == user.pk for d in transaction.drawdowns.all()):
        duties.add(Duty.LICENCE_APPLICATION)
    return duties


def approver_check(
    *, transaction: Transaction, user, ctx: ReviewContext | None = None
) -> ApproverCheck:
    """Why `user` may not approve this transaction (empty: they may)."""
    reasons = []
    organisation = transaction.organisation
    if _role(organisation=organisation, user=user) != Role.COMPLIANCE_MANAGER:
        reasons.append(_("Only a compliance manager approves."))
    if transaction.created_by_id == user.pk:
        reasons.append(
            _("%(user)s created this transaction and cannot approve it.") % {"user": user}
        )
    if transaction.submitted_by_id == user.pk:
        reasons.append(
            _("%(user)s submitted this transaction for review and cannot approve it.")
            % {"user": user}
        )
    # The programme's segregation of duties (E2) answers through trade.hooks.
    reasons += approver_rule_reasons(
        organisation=organisation, user=user, duty_codes=_duties_on(transaction, user, ctx)
    )
    return ApproverCheck(user=user, reasons=list(dict.fromkeys(reasons)))


def transaction_approvers(
    *, transaction: Transaction, ctx: ReviewContext | None = None
) -> list[ApproverCheck]:
    """Every compliance manager of the organisation, with why each may or may not approve."""
    ctx = ctx or review_context(transaction)
    managers = (
        User.objects.filter(
            memberships__organisation=transaction.organisation,
            memberships__role=Role.COMPLIANCE_MANAGER,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )
    return [approver_check(transaction=transaction, user=manager, ctx=ctx) for manager in managers]
