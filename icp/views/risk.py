"""E3 risk assessment pages: assessments with their register and heat map, the comparison with
the previous assessment, and the risks of the register."""

import datetime

import django_filters
from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.i18n import localised, semicolon_joined
from core.lists import ScopedListView
from icp.forms.risk import (
    IMPACT_CHOICES,
    LIKELIHOOD_CHOICES,
    RiskApproveForm,
    RiskAssessmentForm,
    RiskCopyForwardForm,
    RiskFactorForm,
)
from icp.models import RiskAssessment, RiskCategory, RiskFactor
from icp.models.risk import RiskBand
from icp.selectors import risk as selectors
from icp.services import risk as services


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


class RiskAssessmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=RiskAssessment.Status.choices
    )

    class Meta:
        model = RiskAssessment
        fields = ["status"]


class RiskAssessmentListView(ScopedListView):
    model = RiskAssessment
    roles = roles.PROGRAMME_READERS
    template_name = "icp/risk/assessment_list.html"
    filterset_class = RiskAssessmentFilter
    search_fields = ("title", "scope_zh", "scope_en")
    export_filename = "risk-assessments"
    export_columns = (
        (gettext_lazy("Title"), "title"),
        (gettext_lazy("Assessment date"), "assessment_date"),
        (gettext_lazy("Period from"), "period_start"),
        (gettext_lazy("Period to"), "period_end"),
        (gettext_lazy("Assessor"), "assessor"),
        (gettext_lazy("Status"), "get_status_display"),
        (gettext_lazy("Approved by"), "approved_by"),
        (gettext_lazy("Approved"), "approved_at"),
        (gettext_lazy("Risks"), "risk_count"),
    )

    def get_base_queryset(self):
        return selectors.risk_assessment_list(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            current=selectors.risk_assessment_latest_approved(organisation=self.organisation),
            can_edit=self.membership.role in roles.PROGRAMME_EDITORS,
        )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def risk_assessment_create(request):
    today = timezone.localdate()
    form = RiskAssessmentForm(
        request.POST or None,
        organisation=request.organisation,
        initial={
            "assessment_date": today,
            "period_start": today.replace(month=1, day=1),
            "period_end": today.replace(month=12, day=31),
            "assessor": request.user,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.risk_assessment_create(
                organisation=request.organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Risk assessment created. Now add its risks."))
            return redirect(assessment)
    return render(request, "icp/risk/assessment_form.html", {"form": form})


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def risk_assessment_update(request, pk):
    assessment = selectors.risk_assessment_get(organisation=request.organisation, pk=pk)
    if assessment.is_frozen:
        messages.error(request, _("An approved risk assessment can no longer be changed."))
        return redirect(assessment)
    form = RiskAssessmentForm(
        request.POST or None, instance=assessment, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_assessment_update(
                assessment=assessment, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Risk assessment saved."))
            return redirect(assessment)
    return render(
        request, "icp/risk/assessment_form.html", {"form": form, "assessment": assessment}
    )


class RiskRegisterFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        label=gettext_lazy("Category"), choices=RiskCategory.choices
    )
    band = django_filters.ChoiceFilter(
        label=gettext_lazy("Residual level"), choices=RiskBand.choices, method="filter_band"
    )

    class Meta:
        model = RiskFactor
        fields = ["category"]

    def filter_band(self, queryset, name, value):
        ranges = {"low": (1, 4), "medium": (5, 9), "high": (10, 14), "critical": (15, 25)}
        low, high = ranges[value]
        return queryset.alias(score=F("residual_likelihood") * F("residual_impact")).filter(
            score__gte=low, score__lte=high
        )


def _courses_text(risk) -> str:
    # course titles are free text and may have commas of their own
    return semicolon_joined(risk.courses.all())


class RiskAssessmentDetailView(ScopedListView):
    """The assessment page: header, heat map and its risk register (searchable, filterable,
    exportable)."""

    model = RiskFactor
    roles = roles.PROGRAMME_READERS
    template_name = "icp/risk/assessment_detail.html"
    filterset_class = RiskRegisterFilter
    search_fields = (
        "key",
        "title_zh",
        "title_en",
        "description_zh",
        "description_en",
        "mitigation_zh",
        "mitigation_en",
        "controls",
    )
    paginate_by = 50
    export_columns = (
        (gettext_lazy("Risk id"), "key"),
        (gettext_lazy("Category"), "get_category_display"),
        (gettext_lazy("Risk"), lambda risk: localised(risk, "title")),
        (gettext_lazy("Description"), lambda risk: localised(risk, "description")),
        (gettext_lazy("Likelihood"), "likelihood"),
        (gettext_lazy("Impact"), "impact"),
        (gettext_lazy("Inherent score"), "inherent_score"),
        (gettext_lazy("Mitigations"), lambda risk: localised(risk, "mitigation")),
        (gettext_lazy("Procedures and controls"), "controls"),
        (gettext_lazy("Training courses"), _courses_text),
        (gettext_lazy("Residual likelihood"), "residual_likelihood"),
        (gettext_lazy("Residual impact"), "residual_impact"),
        (gettext_lazy("Residual score"), "residual_score"),
        (gettext_lazy("Owner"), "owner"),
        (gettext_lazy("Review date"), "review_date"),
    )

    def dispatch(self, request, *args, **kwargs):
        self.export_filename = f"risk-register-{kwargs['pk']}"
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        self.assessment = selectors.risk_assessment_get(
            organisation=self.organisation, pk=self.kwargs["pk"]
        )
        return selectors.risk_register(assessment=self.assessment)

    def get_context_data(self, **kwargs):
        residual = self.request.GET.get("map") == "residual"
        membership = self.membership
        return super().get_context_data(
            **kwargs,
            assessment=self.assessment,
            heat_map=selectors.risk_heat_map(assessment=self.assessment, residual=residual),
            residual_map=residual,
            previous=selectors.risk_assessment_previous(assessment=self.assessment),
            can_edit=membership.role in roles.PROGRAMME_EDITORS and not self.assessment.is_frozen,
            can_copy=membership.role in roles.PROGRAMME_EDITORS,
            can_approve=membership.role in roles.APPROVERS and not self.assessment.is_frozen,
            approve_form=RiskApproveForm(),
            total_risks=selectors.risk_count(assessment=self.assessment),
        )


@organisation_required(roles=roles.APPROVERS)
@require_POST
def risk_assessment_approve(request, pk):
    assessment = selectors.risk_assessment_get(organisation=request.organisation, pk=pk)
    form = RiskApproveForm(request.POST)
    if form.is_valid():
        try:
            services.risk_assessment_approve(
                assessment=assessment, user=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Risk assessment approved. It is now frozen."))
    return redirect(assessment)


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def risk_assessment_copy(request, pk):
    """Start the next assessment from this one (the register is copied, keys kept)."""
    source = selectors.risk_assessment_get(organisation=request.organisation, pk=pk)
    start = source.period_end + datetime.timedelta(days=1)
    form = RiskCopyForwardForm(
        request.POST or None,
        initial={
            "title": source.title,
            "assessment_date": timezone.localdate(),
            "period_start": start,
            "period_end": start + relativedelta(years=1) - datetime.timedelta(days=1),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.risk_assessment_copy_forward(
                source=source, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(
                request,
                _(
                    "New draft started from “%(source)s”: review every risk, "
                    "then ask management to approve it."
                )
                % {"source": source.title},
            )
            return redirect(assessment)
    return render(request, "icp/risk/assessment_copy.html", {"form": form, "source": source})


@organisation_required(roles=roles.PROGRAMME_READERS)
def risk_assessment_compare(request, pk):
    assessment = selectors.risk_assessment_get(organisation=request.organisation, pk=pk)
    others = selectors.risk_assessment_others(
        organisation=request.organisation, assessment=assessment
    )
    previous = None
    if request.GET.get("with"):
        try:
            previous = others.get(pk=int(request.GET["with"]))
        except (RiskAssessment.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
    previous = previous or selectors.risk_assessment_previous(assessment=assessment)
    comparison = (
        selectors.risk_assessment_compare(assessment=assessment, previous=previous)
        if previous
        else None
    )
    return render(
        request,
        "icp/risk/assessment_compare.html",
        {
            "assessment": assessment,
            "previous": previous,
            "comparison": comparison,
            "others": others,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def risk_factor_create(request, pk):
    assessment = selectors.risk_assessment_get(organisation=request.organisation, pk=pk)
    if assessment.is_frozen:
        messages.error(request, _("An approved risk assessment can no longer be changed."))
        return redirect(assessment)
    form = RiskFactorForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        courses = data.pop("courses")
        try:
            risk = services.risk_factor_create(
                assessment=assessment, user=request.user, courses=courses, **data
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Risk %(key)s added.") % {"key": risk.key})
            if "add_another" in request.POST:
                return redirect("icp:risk_factor_create", pk=assessment.pk)
            return redirect(assessment)
    return render(request, "icp/risk/risk_form.html", {"form": form, "assessment": assessment})


def _ratings(risk) -> dict[str, str]:
    """The four ratings of a risk as the form offers them: "4 · Likely", not a bare 4."""
    likelihood, impact = dict(LIKELIHOOD_CHOICES), dict(IMPACT_CHOICES)
    return {
        "likelihood": str(likelihood[risk.likelihood]),
        "impact": str(impact[risk.impact]),
        "residual_likelihood": str(likelihood[risk.residual_likelihood]),
        "residual_impact": str(impact[risk.residual_impact]),
    }


@organisation_required(roles=roles.PROGRAMME_READERS)
def risk_factor_detail(request, pk):
    risk = selectors.risk_get(organisation=request.organisation, pk=pk)
    history = list(selectors.risk_history(organisation=request.organisation, key=risk.key))
    return render(
        request,
        "icp/risk/risk_detail.html",
        {
            "risk": risk,
            "assessment": risk.assessment,
            "courses": list(risk.courses.all()),
            "across_assessments": history,
            "ratings": _ratings(risk),
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS
            and not risk.assessment.is_frozen,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def risk_factor_update(request, pk):
    risk = selectors.risk_get(organisation=request.organisation, pk=pk)
    if risk.assessment.is_frozen:
        messages.error(request, _("An approved risk assessment can no longer be changed."))
        return redirect(risk)
    form = RiskFactorForm(request.POST or None, instance=risk, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        courses = data.pop("courses")
        try:
            services.risk_factor_update(risk=risk, user=request.user, courses=courses, **data)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Risk %(key)s saved.") % {"key": risk.key})
            return redirect(risk.assessment)
    return render(
        request,
        "icp/risk/risk_form.html",
        {"form": form, "assessment": risk.assessment, "risk": risk},
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
@require_POST
def risk_factor_delete(request, pk):
    risk = selectors.risk_get(organisation=request.organisation, pk=pk)
    try:
        services.risk_factor_delete(risk=risk, user=request.user)
    except ValidationError as error:
        _error(request, error)
        return redirect(risk)
    messages.success(request, _("Risk %(key)s removed from this register.") % {"key": risk.key})
    return redirect(risk.assessment)
