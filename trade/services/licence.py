"""The licence register: record licences, and what is left of them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require_role
from accounts.roles import Role
from trade.models import Licence, LicenceDrawdown
from trade.models.licence import MAX_VALIDITY_DAYS
from trade.signals import licence_condition_lapsed_publish
from trade.stored_text import stored

LICENCE_FIELDS = (
    "number",
    "kind",
    "issued_on",
    "valid_from",
    "valid_until",
    "destinations",
    "quantity_limit",
    "value_limit",
    "currency",
    "conditions",
    "voucher_case",
    "return_due_on",
    "report_duties",
    "report_within_days",
)


def _require_manager(organisation, user) -> None:
    require_role(
        organisation=organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER},
        message="compliance managers only",
    )


def _validate(licence: Licence, items, end_users) -> None:
    if licence.valid_until and licence.valid_from:
        if licence.valid_until < licence.valid_from:
            raise ValidationError({"valid_until": _("The licence cannot end before it starts.")})
        days = (licence.valid_until - licence.valid_from).days
        if days > MAX_VALIDITY_DAYS[licence.kind]:
            raise ValidationError(
                {
                    "valid_until": _("A single licence is valid for at most one year.")
                    if licence.kind == Licence.Kind.SINGLE
                    else _("A general licence is valid for at most three years.")
                }
            )
    if licence.kind == Licence.Kind.VOUCHER and not licence.voucher_case:
        raise ValidationError(
            {
                "voucher_case": _(
                    "Choose the export voucher case (《两用物项出口管制条例》第十九条第一款)."
                )
            }
        )
    if licence.kind != Licence.Kind.VOUCHER:
        licence.voucher_case = ""
    if not items:
        raise ValidationError({"items": _("Name the items the licence covers.")})
    if licence.kind == Licence.Kind.SINGLE and not end_users:
        raise ValidationError({"end_users": _("A single licence names its end user.")})
    if not licence.destinations:
        raise ValidationError({"destinations": _("Name the destinations the licence covers.")})
    for obj in [*items, *end_users]:
        if obj.organisation_id != licence.organisation_id:
            raise ValidationError(_("Choose items and parties of this organisation."))
    clash = Licence.objects.for_organisation(licence.organisation).filter(number=licence.number)
    if licence.pk:
        clash = clash.exclude(pk=licence.pk)
    if clash.exists():
        raise ValidationError({"number": _("A licence with this number is already recorded.")})


def licence_save(
    *, organisation, user, licence: Licence | None = None, items, end_users, **values
) -> Licence:
    """Record a licence MOFCOM granted, or correct one."""
    _require_manager(organisation, user)
    unknown = set(values) - set(LICENCE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    licence = licence or Licence(organisation=organisation, created_by=user)
    for name, value in values.items():
        setattr(licence, name, value)
    licence.currency = (licence.currency or "USD").upper()
    items, end_users = list(items), list(end_users)
    _validate(licence, items, end_users)
    licence.full_clean(exclude=["organisation", "items", "end_users"])
    with db_transaction.atomic():
        licence.save()
        licence.items.set(items)
        licence.end_users.set(end_users)
    return licence


@dataclass
class LicenceBalance:
    quantity_drawn: Decimal
    value_drawn: Decimal
    quantity_left: Decimal | None
    value_left: Decimal | None


def licence_balance(licence: Licence) -> LicenceBalance:
    totals = LicenceDrawdown.objects.filter(licence=licence, released_at__isnull=True).aggregate(
        quantity=Sum("quantity"), value=Sum("value")
    )
    quantity, value = totals["quantity"] or Decimal(0), totals["value"] or Decimal(0)
    return LicenceBalance(
        quantity_drawn=quantity,
        value_drawn=value,
        quantity_left=None if licence.quantity_limit is None else licence.quantity_limit - quantity,
        value_left=None if licence.value_limit is None else licence.value_limit - value,
    )


def licences_expiring(*, organisation, today: datetime.date, days: int) -> list[Licence]:
    """Licences in force that end within `days` days: the warning on the register and queue."""
    return list(
        Licence.objects.for_organisation(organisation).filter(
            revoked_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=days),
        )
    )


def voucher_condition_lapsed(*, licence: Licence, user, reason: str):
    """An export voucher's condition no longer holds (REGS Art. 19(3)): the exporter stops at
    once and reports to MOFCOM. The voucher is suspended (nothing ships on it), an incident is
    opened for the report, and every approved, unshipped transaction on the voucher is put on
    hold with the incident as the source. Returns the incident. Refused for a licence that is
    not a voucher, or a voucher already suspended."""
    from trade.models import Transaction, TransactionState
    from trade.services.transaction import transaction_hold

    membership = require_role(
        organisation=licence.organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER},
        message="compliance managers only",
    )
    if licence.kind != Licence.Kind.VOUCHER:
        raise ValidationError(_("Only an export voucher has conditions of this kind."))
    if licence.suspended_at is not None:
        raise ValidationError(_("This export voucher is already suspended."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Say which condition no longer holds, and why.")})
    with db_transaction.atomic():
        licence.suspended_at = timezone.now()
        licence.suspended_reason = reason
        licence.save(update_fields=["suspended_at", "suspended_reason"])
        # The emergency element (icp, above trade) opens the incident: see trade/signals.py.
        incident = licence_condition_lapsed_publish(
            licence=licence, membership=membership, reason=reason
        )
        held = []
        for transaction in Transaction.objects.for_organisation(licence.organisation).filter(
            licence=licence, state=TransactionState.APPROVED, shipped_on__isnull=True
        ):
            transaction_hold(
                transaction=transaction,
                user=user,
                reason=stored("voucher_condition_lapsed", number=str(licence)),
                source=f"incident:{incident.reference}",
            )
            held.append(transaction)
        if held:
            incident.transactions.add(*held)
    return incident


# --- after the shipment (REGS Art. 18(1)) -----------------------------------------------------


def post_shipment_duties_create(*, transaction, shipped_on: datetime.date) -> list:
    """Create the reports the licence's conditions ask for after this shipment, each due
    `report_within_days` after the shipment date. Idempotent (one per transaction, licence and
    kind)."""
    from trade.models import PostShipmentDuty, ReportDuty

    licence = transaction.licence
    if licence is None:
        return []
    due = shipped_on + datetime.timedelta(days=licence.report_within_days)
    duties = []
    for kind in licence.report_duties:
        if kind not in ReportDuty.values:
            continue
        duty, _created = PostShipmentDuty.objects.get_or_create(
            organisation_id=transaction.organisation_id,
            transaction=transaction,
            licence=licence,
            kind=kind,
            defaults={"due_on": due},
        )
        duties.append(duty)
    return duties


def post_shipment_duty_complete(*, duty, user, evidence_note: str):
    """A compliance manager records that the report was made, with what was reported and the
    evidence (documents attach to the duty). Refused when already done."""
    require_role(
        organisation=duty.organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER},
        message="compliance managers only",
    )
    if duty.done_at is not None:
        raise ValidationError(_("This report is already recorded."))
    evidence_note = (evidence_note or "").strip()
    if len(evidence_note) < 10:
        raise ValidationError(
            {"evidence_note": _("Say what was reported to MOFCOM, when, and on what evidence.")}
        )
    duty.done_at, duty.done_by, duty.evidence_note = timezone.now(), user, evidence_note
    duty.save()
    return duty


def post_shipment_overdue_count(*, organisation, today: datetime.date | None = None) -> int:
    from trade.models import PostShipmentDuty

    today = today or timezone.localdate()
    return (
        PostShipmentDuty.objects.for_organisation(organisation)
        .filter(done_at__isnull=True, due_on__lt=today)
        .count()
    )
