from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import CustomerCheck, ProviderProfile


def provider_profile_of(*, organisation) -> ProviderProfile | None:
    return ProviderProfile.objects.filter(organisation=organisation).first()


def customer_check_list(*, organisation) -> QuerySet[CustomerCheck]:
    return CustomerCheck.objects.for_organisation(organisation).select_related("created_by")


def customer_check_get(*, organisation, pk: int) -> CustomerCheck:
    return get_object_or_404(
        customer_check_list(organisation=organisation).select_related(
            "customer_screening", "counterparty_screening", "decided_by", "report"
        ),
        pk=pk,
    )


def open_check_count(*, organisation) -> int:
    return (
        CustomerCheck.objects.for_organisation(organisation)
        .filter(outcome__in=[CustomerCheck.Outcome.OPEN, CustomerCheck.Outcome.HELD])
        .count()
    )
