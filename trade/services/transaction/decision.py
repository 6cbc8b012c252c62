"""The review's course: submit a draft, approve it (freezing the evidence and drawing down the
licence) or reject it for good."""

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from trade import review_text
from trade.models import (
    Approval,
    Licence,
    LicenceDecision,
    LicenceDrawdown,
    Transaction,
    TransactionEvent,
    TransactionState,
)
from trade.services.item import classification_approval_check
from trade.services.licence_path import path_evidence
from trade.services.review import (
    ReviewContext,
    hit_is_decided,
    licence_needs,
    review_checklist,
    review_context,
    transaction_refresh,
)

from .approvers import approver_check
from .common import _move, _reason, _require_drafter, _require_manager, _supersede_approval
from .parties import transaction_screen_parties


def transaction_submit(*, transaction: Transaction, user) -> Transaction:
    """Send a draft for review: the parties not screened on the current lists are screened."""
    _require_drafter(transaction, user)
    if transaction.state != TransactionState.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    if not transaction.lines.exists():
        raise ValidationError(_("Add at least one item before submitting."))
    if not transaction.parties.exists():
        raise ValidationError(_("Name the parties before submitting."))
    with db_transaction.atomic():
        _move(
            transaction,
            TransactionState.IN_REVIEW,
            TransactionEvent.Kind.SUBMITTED,
            user=user,
            submitted_at=timezone.now(),
            submitted_by=user,
        )
        transaction_screen_parties(transaction=transaction, user=user)
    return transaction


def _evidence(ctx: ReviewContext, checks, drawdown: LicenceDrawdown | None) -> dict:
    """The approval's evidence as plain data: what was checked, on which versions, by whom."""
    transaction = ctx.transaction

    def user_label(user):
        return str(user) if user else ""

    def date(value):
        return value.isoformat() if value else None

    return {
        "transaction": {
            "reference": transaction.reference,
            "kind": transaction.kind,
            "stage": transaction.stage,
            "destination": transaction.destination_country.code,
            "transit": [c.code for c in transaction.transit_countries],
            "end_use": transaction.end_use,
        },
        "checklist": [
            {
                "code": c.code,
                "passed": c.passed,
                # Codes and parameters (trade.review_text): what is frozen, read in any language.
                "problems": [review_text.stored(p.message) for p in c.problems],
                "notes": [review_text.stored(note) for note in c.notes],
            }
            for c in checks
        ],
        "list_versions": [
            {"id": v.pk, "list": v.screening_list.code, "version": v.number}
            for v in ctx.current_versions
        ],
        "parties": [
            {
                "role": p.link.role,
                "party_id": p.link.party_id,
                "name": str(p.link.party),
                "screening_id": p.screening.pk if p.screening else None,
                "screened_at": p.screening.created_at.isoformat() if p.screening else None,
                "hits": [
                    {
                        "hit_id": h.pk,
                        "list": h.list_code,
                        "matched_name": h.matched_name,
                        "score": h.score,
                        "decision": "true_match" if h in p.true_matches else "false_positive",
                        "adjudication_id": h.adjudication.pk
                        if hit_is_decided(h)
                        else h.remembered_id,
                    }
                    for h in [*p.true_matches, *p.false_positives]
                ],
            }
            for p in ctx.parties
        ],
        "items": [
            {
                "line_id": line.pk,
                "item_id": line.item_id,
                "item": str(line.item),
                "quantity": f"{line.quantity:f}",
                "unit": line.unit,
                "value": f"{line.value:f}",
                "currency": line.currency,
                "hs_code": line.hs_code,
                "classification_id": line.item.current_classification_id,
                "classification": str(line.item.current_classification or ""),
                "catch_all": getattr(line.item.current_classification, "catch_all", ""),
            }
            for line in ctx.lines
        ],
        "red_flags": {
            "framework": str(ctx.framework) if ctx.framework else "",
            "answers": [
                {
                    "flag": flag.ref_id,
                    "severity": flag.severity,
                    "answer": ctx.answers[flag.pk].answer,
                    "note": ctx.answers[flag.pk].note,
                    "note_code": ctx.answers[flag.pk].note_code,
                    "note_params": ctx.answers[flag.pk].note_params,
                    "prefilled": ctx.answers[flag.pk].prefilled,
                    "resolution": ctx.answers[flag.pk].resolution,
                    "resolved_by": user_label(ctx.answers[flag.pk].resolved_by),
                }
                for flag in ctx.red_flags
                if flag.pk in ctx.answers
            ],
        },
        "euc": {
            "issuer": transaction.euc_issuer,
            "number": transaction.euc_number,
            "issued_on": date(transaction.euc_issued_on),
            "valid_until": date(transaction.euc_valid_until),
            "documents": [
                {"id": d.pk, "name": d.original_name, "sha256": d.sha256} for d in ctx.euc_documents
            ],
        },
        "licence_paths": path_evidence(ctx),
        "licence": {
            "decision": transaction.licence_decision,
            "number": transaction.licence.number if transaction.licence else "",
            "licence_id": transaction.licence_id,
            "drawdown": {"quantity": f"{drawdown.quantity:f}", "value": f"{drawdown.value:f}"}
            if drawdown
            else None,
        },
    }


def _draw_down(transaction: Transaction, ctx: ReviewContext, user) -> LicenceDrawdown | None:
    """Take the covered quantity and value from the licence, refusing beyond its limits or
    outside its validity. The licence row is locked so two approvals cannot both take the
    last units."""
    if transaction.licence_decision != LicenceDecision.COVERED or not ctx.is_controlled:
        return None
    licence = Licence.objects.select_for_update().get(pk=transaction.licence_id)
    if not licence.is_valid_on(timezone.localdate()):
        raise ValidationError(_("Licence %(number)s is not valid today.") % {"number": licence})
    quantity, value, _currencies = licence_needs(ctx, licence)
    totals = LicenceDrawdown.objects.filter(licence=licence, released_at__isnull=True).aggregate(
        quantity=Sum("quantity"), value=Sum("value")
    )
    if (
        licence.quantity_limit is not None
        and (totals["quantity"] or 0) + quantity > licence.quantity_limit
    ):
        raise ValidationError(
            _("Licence %(number)s does not have enough quantity left.") % {"number": licence}
        )
    if licence.value_limit is not None and (totals["value"] or 0) + value > licence.value_limit:
        raise ValidationError(
            _("Licence %(number)s does not have enough value left.") % {"number": licence}
        )
    return LicenceDrawdown.objects.create(
        organisation_id=transaction.organisation_id,
        licence=licence,
        transaction=transaction,
        quantity=quantity,
        value=value,
        drawn_by=user,
    )


def transaction_approve(*, transaction: Transaction, user, note: str = "") -> Approval:
    """Approve: every check passed, the approver allowed (not the creator, no SoD conflict).
    Freezes the evidence and draws down the licence, atomically."""
    _require_manager(transaction, user)
    if transaction.state != TransactionState.IN_REVIEW:
        raise ValidationError(_("Only a transaction in review can be approved."))
    classification_approval_check(transaction=transaction)  # consult MOFCOM, customs catalogue
    with db_transaction.atomic():
        locked = Transaction.objects.select_for_update().get(pk=transaction.pk)
        if locked.state != TransactionState.IN_REVIEW:
            raise ValidationError(_("Only a transaction in review can be approved."))
        transaction_refresh(transaction=transaction)
        ctx = review_context(transaction)
        checks = review_checklist(ctx)
        failing = [c for c in checks if not c.passed]
        if failing:
            raise ValidationError(
                [
                    _("Check %(number)d is not complete: %(problem)s")
                    % {"number": c.number, "problem": c.blockers[0].message}
                    for c in failing
                ]
            )
        allowed = approver_check(transaction=transaction, user=user, ctx=ctx)
        if not allowed.may_approve:
            raise ValidationError(allowed.reasons)
        drawdown = _draw_down(transaction, ctx, user)
        approval = Approval.objects.create(
            organisation_id=transaction.organisation_id,
            transaction=transaction,
            approved_by=user,
            note=note,
            evidence=_evidence(ctx, checks, drawdown),
        )
        _move(
            transaction,
            TransactionState.APPROVED,
            TransactionEvent.Kind.APPROVED,
            user=user,
            reason=note,
        )
    return approval


def transaction_reject(*, transaction: Transaction, user, reason: str) -> Transaction:
    """Reject for good (a rejected transaction is not changed again)."""
    _require_manager(transaction, user)
    reason = _reason(reason)
    if transaction.state not in (
        TransactionState.DRAFT,
        TransactionState.IN_REVIEW,
        TransactionState.ON_HOLD,
    ):
        raise ValidationError(
            _("Only a draft, or a transaction in review or on hold, can be rejected.")
        )
    with db_transaction.atomic():
        if (
            transaction.state == TransactionState.ON_HOLD
            and transaction.held_from == TransactionState.APPROVED
        ):
            _supersede_approval(transaction, reason)
        _move(
            transaction,
            TransactionState.REJECTED,
            TransactionEvent.Kind.REJECTED,
            user=user,
            reason=reason,
            held_from="",
        )
        transaction_refresh(transaction=transaction)
    return transaction
