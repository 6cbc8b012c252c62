"""Create a transaction and change its own fields, its end-user certificate and its licence
decision. After approval a change to a key element reopens the review."""

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils.translation import gettext as _

from accounts.models import Membership
from trade.models import Licence, LicenceDecision, Transaction, TransactionEvent, TransactionState
from trade.services.review import transaction_refresh
from trade.stored_text import stored

from .common import (
    _check_editable,
    _event,
    _require_drafter,
    _require_manager,
    _same_org,
    _was_approved,
    transaction_reopen,
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


EUC_FIELDS = ("euc_issuer", "euc_number", "euc_issued_on", "euc_valid_until")


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
