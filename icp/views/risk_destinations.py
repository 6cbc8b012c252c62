"""E3 destination risk pages: the list of destinations (reference rows and the organisation's own),
a destination's detail, and the organisation's own rows and overrides."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_countries import countries

from accounts import roles
from accounts.permissions import organisation_required
from core.i18n import localised
from core.lists import ScopedListView
from icp.forms.risk import DestinationRiskForm
from icp.models import DestinationRisk, DestinationRiskLevel, DestinationScope
from icp.models.risk import DESTINATION_LEVEL_GUIDANCE
from icp.selectors import risk as selectors
from icp.services import destination_risk as destination_services
from reference.models import Confidence


class DestinationRiskFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("Risk level"), choices=DestinationRiskLevel.choices
    )
    scope = django_filters.ChoiceFilter(
        label=gettext_lazy("Scope"), choices=DestinationScope.choices
    )
    confidence = django_filters.ChoiceFilter(
        label=gettext_lazy("Confidence"), choices=Confidence.choices
    )
    origin = django_filters.ChoiceFilter(
        label=gettext_lazy("Kept by"),
        choices=[
            ("reference", gettext_lazy("Reference list")),
            ("own", gettext_lazy("Our organisation")),
        ],
        method="filter_origin",
    )

    class Meta:
        model = DestinationRisk
        fields = ["level", "scope", "confidence"]

    def filter_origin(self, queryset, name, value):
        return queryset.filter(organisation__isnull=value == "reference")


def _english_country_name(code: str) -> str:
    with translation.override("en"):
        return str(countries.name(code))


class DestinationRiskListView(ScopedListView):
    model = DestinationRisk
    roles = roles.PROGRAMME_READERS
    template_name = "icp/risk/destination_list.html"
    filterset_class = DestinationRiskFilter
    paginate_by = 100
    export_filename = "destination-risk"
    export_columns = (
        (gettext_lazy("Country code"), "country.code"),
        (gettext_lazy("Country or region"), "country.name"),
        (gettext_lazy("Risk level"), "get_level_display"),
        (gettext_lazy("Scope"), "get_scope_display"),
        (
            gettext_lazy("Legal nature"),
            lambda row: (
                _("Foreign-law risk (annex)")
                if row.is_foreign_law_risk
                else _("PRC legal restriction")
            ),
        ),
        (gettext_lazy("Reason"), lambda row: localised(row, "reason")),
        (gettext_lazy("Source"), "source"),
        (gettext_lazy("Confidence"), "get_confidence_display"),
        (gettext_lazy("As of"), "as_of"),
        (
            gettext_lazy("Kept by"),
            lambda row: _("Reference list") if row.is_reference else _("Our organisation"),
        ),
    )

    def get_base_queryset(self):
        queryset = selectors.destination_risk_list(organisation=self.organisation)
        query = self.request.GET.get("q", "").strip()
        if query:
            # Country names are not in the database: match them in both languages here.
            codes = [
                code
                for code, name in countries
                if query.lower() in (code.lower(), name.lower())
                or query.lower() in str(name).lower()
                or query.lower() in _english_country_name(code).lower()
            ]
            queryset = queryset.filter(
                Q(country__in=codes)
                | Q(reason_zh__icontains=query)
                | Q(reason_en__icontains=query)
                | Q(source__icontains=query)
            )
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            search_enabled=True,
            overridden=selectors.destination_risk_overridden(organisation=self.organisation),
            guidance=list(DESTINATION_LEVEL_GUIDANCE.items()),
            can_edit=self.membership.role in roles.PROGRAMME_EDITORS,
        )


@organisation_required(roles=roles.PROGRAMME_READERS)
def destination_risk_detail(request, pk):
    row = selectors.destination_risk_get(organisation=request.organisation, pk=pk)
    applies = selectors.destination_risk_for(
        organisation=request.organisation, country=row.country.code
    )
    reference = (
        selectors.destination_risk_reference(country=row.country.code)
        if not row.is_reference
        else None
    )
    return render(
        request,
        "icp/risk/destination_detail.html",
        {
            "row": row,
            "applies": applies,
            "reference": reference,
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def destination_risk_edit(request, pk=None):
    """Add an organisation row (new destination or an override of a reference row), or change
    one. `?country=XX` starts an override from the reference row for XX."""
    instance = None
    initial = {}  # defaults only for a new row: never over a stored value
    if pk is None:
        initial["as_of"] = timezone.localdate()
    if pk is not None:
        instance = selectors.destination_risk_own_get(organisation=request.organisation, pk=pk)
    elif request.GET.get("country"):
        reference = selectors.destination_risk_reference(country=request.GET["country"].upper()[:2])
        if reference is not None:
            initial.update(
                {
                    name: getattr(reference, name)
                    for name in ("level", "scope", "reason_zh", "reason_en", "source")
                }
                | {"country": reference.country.code, "confidence": reference.confidence}
            )
    form = DestinationRiskForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            row = destination_services.destination_risk_save(
                organisation=request.organisation,
                user=request.user,
                instance=instance,
                **form.cleaned_data,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Destination risk saved."))
            return redirect(row)
    return render(request, "icp/risk/destination_form.html", {"form": form, "row": instance})


@organisation_required(roles=roles.PROGRAMME_EDITORS)
@require_POST
def destination_risk_delete(request, pk):
    row = selectors.destination_risk_own_get(organisation=request.organisation, pk=pk)
    destination_services.destination_risk_delete(
        organisation=request.organisation, row=row, user=request.user
    )
    messages.success(
        request, _("Your entry for %(country)s was removed.") % {"country": row.country.name}
    )
    return redirect("icp:destination_risk_list")
