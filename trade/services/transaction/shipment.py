"""Record the shipment of an approved transaction, on a licence that holds on the shipment
date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from trade.models import (
    LicenceDecision,
    LicenceDrawdown,
    Transaction,
    TransactionEvent,
    TransactionState,
)
from trade.services.review import licence_needs, review_context

from .common import _event, _require_manager


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
