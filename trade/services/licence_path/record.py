"""Recording a walked path, confirming it, and the transaction's licence decision that the
paths settle."""

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require_role
from accounts.roles import Role
from trade.licensing_reference import current_licensing_reference
from trade.models import (
    Licence,
    LicenceDecision,
    LicencePath,
    Transaction,
    TransactionEvent,
    TransactionItem,
)
from trade.stored_text import stored

from .common import NEEDS_LICENCE, RESTRICTED_ROLES, STOPS, Outcome, ctx_fingerprint, path_of
from .evaluate import licence_path_evaluate


def held_licences(*, organisation, today) -> list[Licence]:
    """General licences and export vouchers in force, with what `_fits` reads (3 queries)."""
    return list(
        Licence.objects.for_organisation(organisation)
        .filter(
            kind__in=[Licence.Kind.GENERAL, Licence.Kind.VOUCHER],
            revoked_at__isnull=True,
            suspended_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .prefetch_related("items", "end_users")
        .order_by("valid_until", "pk")
    )


def control_list_matches(ctx) -> list[str]:
    """Names of importers, consignees and end users screening confirmed on MOFCOM's control
    list."""
    from trade.services.review import list_kind

    return [
        str(party.link.party)
        for party in ctx.parties
        if party.link.role in RESTRICTED_ROLES
        and any(
            list_kind(hit.list_code) == "party_on_cn_control_list" for hit in party.true_matches
        )
    ]


def licence_path_walk(
    *, line: TransactionItem, user, answers: dict, voucher_case: str = ""
) -> LicencePath:
    """Walk and record the path of one line. A compliance manager's walk is confirmed at once;
    a staff member's waits for a manager. Raises ValidationError (by question code) for a
    missing answer; changes nothing then. After approval a changed outcome reopens the
    review."""
    from trade.services.review import review_context, transaction_refresh
    from trade.services.transaction.common import (
        _check_editable,
        _event,
        _was_approved,
        transaction_reopen,
    )

    transaction = line.transaction
    membership = require_role(
        organisation=transaction.organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER, Role.STAFF},
        message="compliance managers and staff only",
    )
    _check_editable(transaction)
    reference = current_licensing_reference()
    if voucher_case and reference.voucher_case(voucher_case) is None:
        raise ValidationError({"voucher_case": _("Choose one of the export voucher cases.")})
    ctx = review_context(transaction)
    line = next((candidate for candidate in ctx.lines if candidate.pk == line.pk), line)
    today = timezone.localdate()
    result = licence_path_evaluate(
        transaction=transaction,
        line=line,
        answers=answers,
        voucher_case=voucher_case,
        control_list_matches=control_list_matches(ctx),
        held_licences=held_licences(organisation=transaction.organisation, today=today),
        today=today,
        reference=reference,
    )
    if result.errors:
        raise ValidationError(result.errors)
    kept = {
        code: value
        for code, value in answers.items()
        if reference.question(code) is not None and value
    }
    now = timezone.now()
    manager = membership.role == Role.COMPLIANCE_MANAGER
    with db_transaction.atomic():
        path = path_of(line) or LicencePath(
            organisation_id=transaction.organisation_id, transaction=transaction, line=line
        )
        before = path.outcome if path.pk else ""
        path.answers = kept
        path.voucher_case = voucher_case
        path.outcome = result.outcome
        path.findings = result.findings
        path.basis = result.basis
        path.licence = result.licence
        path.reference_version = reference.version
        path.reference_sha256 = reference.sha256
        path.fingerprint = ctx_fingerprint(ctx, line)
        path.walked_by, path.walked_at = user, now
        path.confirmed_by, path.confirmed_at = (user, now) if manager else (None, None)
        path.save()
        params = {"item": str(line.item), "outcome": result.outcome}
        if _was_approved(transaction) and before != result.outcome:
            transaction_reopen(
                transaction=transaction,
                user=user,
                reason=stored("licence_path_changed_after_approval", **params),
            )
        else:
            _event(
                transaction,
                TransactionEvent.Kind.CHANGED,
                user=user,
                reason=stored("licence_path_walked", **params),
            )
        decision_from_paths(transaction=transaction)
        transaction_refresh(transaction=transaction)
    return path


def licence_path_confirm(*, path: LicencePath, user) -> LicencePath:
    """A compliance manager confirms a path a staff member walked. Idempotent."""
    from trade.services.review import transaction_refresh
    from trade.services.transaction.common import _check_editable, _event

    transaction = path.transaction
    require_role(
        organisation=transaction.organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER},
        message="compliance managers only",
    )
    _check_editable(transaction)
    if path.is_confirmed:
        return path
    with db_transaction.atomic():
        path.confirmed_by, path.confirmed_at = user, timezone.now()
        path.save()
        _event(
            transaction,
            TransactionEvent.Kind.CHANGED,
            user=user,
            reason=stored("licence_path_confirmed", item=str(path.line.item), outcome=path.outcome),
        )
        transaction_refresh(transaction=transaction)
    return path


def decision_from_paths(*, transaction: Transaction) -> bool:
    """Set the transaction's licence decision from its lines' paths when they settle it: all
    lines need no licence -> not controlled; every line needing one fits the same licence or
    voucher held -> covered by it; otherwise a licence is to be applied for. A decision already
    covered by a licence stays (the licence MOFCOM granted is recorded by hand). Returns
    whether it changed."""
    paths = list(LicencePath.objects.filter(transaction=transaction).select_related("licence"))
    line_count = transaction.lines.count()
    if not paths or len(paths) != line_count or any(p.outcome in STOPS for p in paths):
        return False
    needing = [p for p in paths if p.outcome in NEEDS_LICENCE]
    decision, licence = transaction.licence_decision, transaction.licence
    if not needing:
        decision, licence = LicenceDecision.NOT_CONTROLLED, None
    elif len({p.licence_id for p in needing}) == 1 and needing[0].licence_id:
        decision, licence = LicenceDecision.COVERED, needing[0].licence
    elif transaction.licence_decision != LicenceDecision.COVERED:
        kinds = {p.outcome for p in needing}
        decision = (
            LicenceDecision.GENERAL_REQUIRED
            if kinds == {Outcome.GENERAL_LICENCE}
            else LicenceDecision.SINGLE_REQUIRED
        )
        licence = None
    if decision == transaction.licence_decision and getattr(licence, "pk", None) == (
        transaction.licence_id
    ):
        return False
    transaction.licence_decision, transaction.licence = decision, licence
    transaction.save(update_fields=["licence_decision", "licence", "updated_at"])
    return True
