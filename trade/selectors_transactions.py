"""Scoped reads for transactions, items, the control list and licences."""

import datetime

from django.db.models import Count, Min, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from trade.models import (
    Classification,
    ControlListEntry,
    Item,
    Licence,
    Transaction,
    TransactionState,
)
from trade.models.licence import EXPIRY_WARNING_DAYS


def transaction_queue(*, organisation):
    """The review queue: only the denormalised columns the table shows (no per-row queries)."""
    return (
        Transaction.objects.for_organisation(organisation)
        .select_related("created_by")
        .only(
            "pk",
            "reference",
            "kind",
            "stage",
            "destination_country",
            "state",
            "risk_level",
            "checks_open",
            "end_user_name",
            "total_value",
            "currency",
            "created_at",
            "submitted_at",
            "state_changed_at",
            "source",
            "created_by__email",
            "created_by__full_name",
        )
    )


def transaction_statistics(*, organisation) -> dict:
    """Counts by state, the oldest open review and the licences about to expire (3 queries)."""
    by_state = dict(
        Transaction.objects.for_organisation(organisation)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    oldest = (
        Transaction.objects.for_organisation(organisation)
        .filter(state=TransactionState.IN_REVIEW)
        .aggregate(oldest=Min("submitted_at"))["oldest"]
    )
    today = timezone.localdate()
    expiring = list(
        Licence.objects.for_organisation(organisation)
        .filter(
            revoked_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
        )
        .order_by("valid_until")[:5]
    )
    return {
        "by_state": [
            (state, label, by_state.get(state, 0)) for state, label in TransactionState.choices
        ],
        "total": sum(by_state.values()),
        "oldest_in_review_days": (timezone.now() - oldest).days if oldest else None,
        "expiring_licences": expiring,
    }


def transaction_get(*, organisation, pk) -> Transaction:
    return get_object_or_404(
        Transaction.objects.for_organisation(organisation).select_related(
            "organisation", "licence", "created_by", "sales_approved_by"
        ),
        pk=pk,
    )


def item_list(*, organisation):
    return Item.objects.for_organisation(organisation).select_related("current_classification")


def item_get(*, organisation, pk) -> Item:
    return get_object_or_404(
        Item.objects.for_organisation(organisation).select_related(
            "current_classification__classified_by", "current_classification__reviewed_by"
        ),
        pk=pk,
    )


def item_classifications(*, item: Item):
    return (
        Classification.objects.filter(item=item)
        .select_related("classified_by", "reviewed_by", "control_entry")
        .order_by("-classified_at", "-pk")
    )


def control_list_search(*, organisation, query: str = "", category: str = ""):
    entries = ControlListEntry.objects.visible_to(organisation).filter(is_active=True)
    if category:
        entries = entries.filter(category=category)
    return entries.search(query).order_by("code", "organisation_id")


def licence_list(*, organisation):
    return (
        Licence.objects.for_organisation(organisation)
        .annotate(
            transaction_count=Count("drawdowns", filter=Q(drawdowns__released_at__isnull=True))
        )
        .order_by("-valid_until", "number")
    )


def licence_get(*, organisation, pk) -> Licence:
    return get_object_or_404(Licence.objects.for_organisation(organisation), pk=pk)
