"""Export transactions: create and change them, move them through review, hold and release.

States: draft -> in review -> approved / on hold / rejected. Approval needs a complete checklist
(services.review) and a compliance manager who neither created nor submitted the transaction and
breaks no segregation-of-duties rule; it is frozen with its evidence and draws down the licence.
A later change to a key element (KEY_FIELDS of the header; any line, party, end-user certificate
or licence decision) reopens the review; the one exception, a covered line's quantity or value
within the licence's balance, is added to the approval's `amendments`. System sentences are
stored as codes (trade.stored_text) and shown in the reader's language. Every function here is
keyword-only and raises ValidationError for a broken rule.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from accounts.permissions import require_role
from accounts.roles import Role
from reference.choices import Duty
from reference.models import RedFlag
from screening.models import Party
from screening.services.parties import party_screen
from trade import review_text
from trade.hooks import approver_rule_reasons
from trade.models import (
    Answer,
    Approval,
    Licence,
    LicenceDecision,
    LicenceDrawdown,
    PartyRole,
    RedFlagAnswer,
    Transaction,
    TransactionEvent,
    TransactionItem,
    TransactionParty,
    TransactionState,
)
from trade.services.item import classification_approval_check
from trade.stored_text import StoredText, split, stored

from .licence_path import path_evidence
from .review import (
    ReviewContext,
    hit_is_decided,
    licence_needs,
    review_checklist,
    review_context,
    transaction_refresh,
)

EDITABLE_FIELDS = (
    "reference",
    "kind",
    "is_intangible",
    "stage",
    "order_date",
    "planned_shipment_date",
    "destination_country",
    "transit_countries",
    "end_use",
    "customer_reference",
    "notes",
    "sales_approved_by",
)
# A change to one of these after approval reopens the review (REGS: key elements): where the
# goods go, what for, what kind of export it is, and who gave the commercial approval (a
# segregation-of-duties input). The lines (items, quantities, values, HS codes), the parties,
# the end-user certificate and the licence decision are key too (see their functions).
KEY_FIELDS = (
    "kind",
    "is_intangible",
    "destination_country",
    "transit_countries",
    "end_use",
    "sales_approved_by",
)
# The lines' own key fields: any change to them after approval reopens the review, except a
# quantity or value change within the balance of the licence the approval drew down.
LINE_KEY_FIELDS = ("item", "quantity", "value", "currency", "unit", "hs_code")
EUC_FIELDS = ("euc_issuer", "euc_number", "euc_issued_on", "euc_valid_until")
MIN_REASON_LENGTH = 5


# --- who may do what --------------------------------------------------------------------------


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


def _reason(reason: str) -> str:
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


# --- reopen -----------------------------------------------------------------------------------


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


# --- create and change ------------------------------------------------------------------------


def _check_reference(*, organisation, reference: str, exclude_pk=None) -> None:
    clash = Transaction.objects.for_organisation(organisation).filter(reference=reference)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"reference": _("Another transaction already has this reference.")})


def _check_sales_approver(organisation, user) -> None:
    if (
        user is not None
        and not Membership.objects.active().filter(organisation=organisation, user=user).exists()
    ):
        raise ValidationError({"sales_approved_by": _("Choose a member of this organisation.")})


def transaction_create(
    *, organisation, user, source: str = Transaction.Source.MANUAL, refresh: bool = True, **values
) -> Transaction:
    """Create a draft transaction."""
    _require_drafter(organisation, user)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    values["reference"] = (values.get("reference") or "").strip()
    _check_reference(organisation=organisation, reference=values["reference"])
    _check_sales_approver(organisation, values.get("sales_approved_by"))
    transaction = Transaction(organisation=organisation, created_by=user, source=source, **values)
    transaction.full_clean(exclude=["organisation", "licence"])
    with db_transaction.atomic():
        transaction.save()
        _event(
            transaction,
            TransactionEvent.Kind.CREATED,
            user=user,
            source=source,
            to_state=TransactionState.DRAFT,
        )
        if refresh:
            transaction_refresh(transaction=transaction)
    return transaction


def _changed(transaction, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        current = getattr(transaction, name)
        if name == "transit_countries":
            current = sorted(c.code for c in current)
            value = sorted(str(getattr(c, "code", c)) for c in (value or []))
        elif name == "destination_country":
            current, value = str(current.code or ""), str(getattr(value, "code", value) or "")
        if current != value:
            changed.append(name)
    return changed


def transaction_update(*, transaction: Transaction, user, **values) -> Transaction:
    """Change the transaction's own fields. After approval, a change to a KEY_FIELDS field
    reopens the review."""
    _require_drafter(transaction, user)
    _check_editable(transaction)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if "reference" in values:
        values["reference"] = (values["reference"] or "").strip()
        _check_reference(
            organisation=transaction.organisation,
            reference=values["reference"],
            exclude_pk=transaction.pk,
        )
    _check_sales_approver(transaction.organisation, values.get("sales_approved_by"))
    changed = _changed(transaction, values)
    if not changed:
        return transaction
    for name, value in values.items():
        setattr(transaction, name, value)
    transaction.full_clean(exclude=["organisation", "licence"])
    with db_transaction.atomic():
        transaction.save()
        key = [n for n in changed if n in KEY_FIELDS]
        if key and _was_approved(transaction):
            transaction_reopen(
                transaction=transaction, user=user, reason=stored("key_changed", fields=changed)
            )
        else:
            _event(
                transaction,
                TransactionEvent.Kind.CHANGED,
                user=user,
                reason=stored("changed", fields=changed),
            )
        transaction_refresh(transaction=transaction)
    return transaction


def _same_org(obj, organisation, field_name: str) -> None:
    if obj.organisation_id != organisation.pk:
        raise ValidationError({field_name: _("Choose a record of this organisation.")})


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


def transaction_euc_record(*, transaction: Transaction, user, **values) -> Transaction:
    """Record the end-user certificate's issuer, number and validity (the file is attached
    separately as a document of type 'end-user certificate')."""
    _require_drafter(transaction, user)
    _check_editable(transaction)
    unknown = set(values) - set(EUC_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    issued, valid = values.get("euc_issued_on"), values.get("euc_valid_until")
    if issued and valid and valid < issued:
        raise ValidationError(
            {"euc_valid_until": _("The certificate cannot expire before it was issued.")}
        )
    changed = []
    for name, value in values.items():
        value = (
            value if value is not None else ("" if name in ("euc_issuer", "euc_number") else None)
        )
        if getattr(transaction, name) != value:
            changed.append(name)
        setattr(transaction, name, value)
    if not changed:
        return transaction
    with db_transaction.atomic():
        transaction.save()
        if _was_approved(transaction):
            # The certificate is part of the frozen evidence: a changed one is reviewed again.
            transaction_reopen(
                transaction=transaction,
                user=user,
                reason=stored("euc_changed_after_approval", fields=changed),
            )
        else:
            _event(
                transaction,
                TransactionEvent.Kind.CHANGED,
                user=user,
                reason=stored("euc_recorded"),
            )
        transaction_refresh(transaction=transaction)
    return transaction


def transaction_licence_decide(
    *, transaction: Transaction, user, decision: str, licence: Licence | None = None, note: str = ""
) -> Transaction:
    """Record the licence decision. Only a compliance manager decides; a changed decision after
    approval reopens the review."""
    _require_manager(transaction, user)
    _check_editable(transaction)
    if decision not in LicenceDecision.values or not decision:
        raise ValidationError({"decision": _("Choose a licence decision.")})
    if decision == LicenceDecision.COVERED:
        if licence is None:
            raise ValidationError(
                {"licence": _("Choose the licence that covers this transaction.")}
            )
        _same_org(licence, transaction.organisation, "licence")
    else:
        licence = None
    if (
        transaction.licence_decision == decision
        and transaction.licence_id == getattr(licence, "pk", None)
        and transaction.licence_note == note
    ):
        return transaction
    with db_transaction.atomic():
        transaction.licence_decision = decision
        transaction.licence = licence
        transaction.licence_note = note
        transaction.save()
        text = (
            stored("licence_decision_licence", decision=decision, licence=str(licence))
            if licence
            else stored("licence_decision", decision=decision)
        )
        if _was_approved(transaction):
            transaction_reopen(transaction=transaction, user=user, reason=text)
        else:
            _event(transaction, TransactionEvent.Kind.CHANGED, user=user, reason=text)
        transaction_refresh(transaction=transaction)
    return transaction


# --- screening --------------------------------------------------------------------------------


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


# --- red flags --------------------------------------------------------------------------------


def red_flag_answer(
    *,
    transaction: Transaction,
    user,
    red_flag: RedFlag,
    answer: str,
    note: str = "",
    refresh: bool = True,
) -> RedFlagAnswer:
    """A person answers one red-flag question. Refused: answering 'no' where the data says
    'yes' (a list match cannot be answered away; a compliance manager resolves it instead)."""
    _require_drafter(transaction, user)
    _check_editable(transaction)
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Answer yes, no or unknown.")})
    record = RedFlagAnswer.objects.filter(transaction=transaction, red_flag=red_flag).first()
    if (
        record is not None
        and record.prefilled
        and record.answer == Answer.YES
        and answer != Answer.YES
    ):
        raise ValidationError(
            _(
                "%(flag)s: the data says yes (%(why)s). A compliance manager resolves it "
                "with a justification instead."
            )
            % {"flag": red_flag.ref_id, "why": record.note_text}
        )
    if record is None:
        record = RedFlagAnswer(
            organisation_id=transaction.organisation_id, transaction=transaction, red_flag=red_flag
        )
    note = (note or "").strip()
    if record.pk and not record.prefilled and record.answer == answer and record.note == note:
        return record
    if (
        record.pk
        and record.prefilled
        and record.answer == answer
        and note in ("", record.note, record.note_text)
    ):
        # The form sent back what the data answered: it stays the system's answer and keeps
        # following the data (a person's answer is a different answer or their own note).
        return record
    if record.answer != answer:
        record.resolution, record.resolved_by, record.resolved_at = "", None, None
    record.answer, record.note, record.prefilled = answer, note, False
    record.note_code, record.note_params = "", {}
    record.answered_by, record.answered_at = user, timezone.now()
    with db_transaction.atomic():
        record.save()
        if (
            _was_approved(transaction)
            and answer != Answer.NO
            and red_flag.severity == RedFlag.Severity.BLOCKING
        ):
            transaction_reopen(
                transaction=transaction,
                user=user,
                reason=stored("red_flag_raised_after_approval", flag=red_flag.ref_id),
            )
        if refresh:
            transaction_refresh(transaction=transaction)
    return record


def red_flags_answer_many(*, transaction: Transaction, user, answers: dict) -> list[str]:
    """Save several answers at once ({red_flag: (answer, note)}); skips unchanged ones. Returns
    the error messages of refused answers (the others are saved)."""
    errors = []
    with db_transaction.atomic():
        for red_flag, (answer, note) in answers.items():
            if not answer:
                continue
            try:
                red_flag_answer(
                    transaction=transaction,
                    user=user,
                    red_flag=red_flag,
                    answer=answer,
                    note=note,
                    refresh=False,
                )
            except ValidationError as exc:
                errors += exc.messages
        transaction_refresh(transaction=transaction)
    return errors


def red_flag_resolve(*, answer: RedFlagAnswer, user, justification: str) -> RedFlagAnswer:
    """A compliance manager resolves a raised red flag with a justification (what was checked,
    why it does not stop the transaction)."""
    transaction = answer.transaction
    _require_manager(transaction, user)
    _check_editable(transaction)
    if not answer.is_raised:
        raise ValidationError(_("Only a flag answered yes or unknown needs a resolution."))
    justification = (justification or "").strip()
    if len(justification) < 10:
        raise ValidationError(
            {
                "justification": _(
                    "Explain what was checked and why the flag does not stop the transaction."
                )
            }
        )
    with db_transaction.atomic():
        answer.resolution = justification
        answer.resolved_by = user
        answer.resolved_at = timezone.now()
        answer.save()
        _event(
            transaction,
            TransactionEvent.Kind.FLAG_RESOLVED,
            user=user,
            reason=f"{answer.red_flag.ref_id}: {justification}",
        )
        transaction_refresh(transaction=transaction)
    return answer


# --- review workflow --------------------------------------------------------------------------


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


def transaction_hold(
    *, transaction: Transaction, user, reason: str, source: str = "manual"
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


def shipment_licence_check(*, transaction: Transaction, shipped_on: datetime.date) -> None:
    """The licence or export voucher the approval drew on must hold on the shipment date
    (REGS Art. 18(1): within its scope, conditions and validity): in force that day, not
    suspended or revoked, and with enough quantity and value left for this transaction.
    Raises ValidationError saying which."""
    licence = transaction.licence
    if transaction.licence_decision != LicenceDecision.COVERED or licence is None:
        return
    date = shipped_on.isoformat()
    if licence.revoked_at is not None:
        raise ValidationError(
            {
                "shipped_on": _("Licence %(number)s was revoked: it cannot ship.")
                % {"number": licence}
            }
        )
    if licence.suspended_at is not None:
        raise ValidationError(
            {
                "shipped_on": _(
                    "Licence %(number)s is suspended (%(reason)s): nothing ships on it until "
                    "its use is resumed."
                )
                % {"number": licence, "reason": licence.suspended_reason or "—"}
            }
        )
    if shipped_on > licence.valid_until:
        raise ValidationError(
            {
                "shipped_on": _(
                    "Licence %(number)s expired on %(end)s; a shipment on %(date)s is not "
                    "covered. Apply for a new licence before shipping."
                )
                % {"number": licence, "end": licence.valid_until.isoformat(), "date": date}
            }
        )
    if shipped_on < licence.valid_from:
        raise ValidationError(
            {
                "shipped_on": _("Licence %(number)s is valid only from %(start)s.")
                % {"number": licence, "start": licence.valid_from.isoformat()}
            }
        )
    ctx = review_context(transaction)
    quantity, value, _currencies = licence_needs(ctx, licence)
    others = (
        LicenceDrawdown.objects.filter(licence=licence, released_at__isnull=True)
        .exclude(transaction=transaction)
        .aggregate(quantity=Sum("quantity"), value=Sum("value"))
    )
    if (
        licence.quantity_limit is not None
        and (others["quantity"] or 0) + quantity > licence.quantity_limit
    ) or (licence.value_limit is not None and (others["value"] or 0) + value > licence.value_limit):
        raise ValidationError(
            {
                "shipped_on": _(
                    "Licence %(number)s does not have enough quantity or value left for this "
                    "shipment."
                )
                % {"number": licence}
            }
        )


def transaction_mark_shipped(
    *, transaction: Transaction, user, shipped_on: datetime.date
) -> Transaction:
    """Record the shipment of an approved transaction (after which list updates no longer
    reopen it)."""
    _require_manager(transaction, user)
    if transaction.state != TransactionState.APPROVED:
        raise ValidationError(_("Only an approved transaction ships."))
    if shipped_on > timezone.localdate():
        raise ValidationError({"shipped_on": _("The shipment date cannot be in the future.")})
    shipment_licence_check(transaction=transaction, shipped_on=shipped_on)
    transaction.shipped_on = shipped_on
    transaction.stage = Transaction.Stage.SHIPMENT
    from trade.services.licence import post_shipment_duties_create

    with db_transaction.atomic():
        transaction.save()
        _event(transaction, TransactionEvent.Kind.SHIPPED, user=user, reason=shipped_on.isoformat())
        if transaction.licence_decision == LicenceDecision.COVERED:
            post_shipment_duties_create(transaction=transaction, shipped_on=shipped_on)
    return transaction


# --- list updates -----------------------------------------------------------------------------


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
