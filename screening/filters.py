import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from screening.models import Party, PartyType, ScreeningStatus


class PartyFilter(django_filters.FilterSet):
    screening_status = django_filters.ChoiceFilter(
        label=_("Screening"), choices=ScreeningStatus.choices
    )
    party_type = django_filters.ChoiceFilter(label=_("Type"), choices=PartyType.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=lambda: list(countries))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Party
        fields = ["screening_status", "party_type", "country", "is_active"]
