"""Service provider pages: the kind of service, the customer checks, a check's decision and the
report to MOFCOM."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors

from . import selectors, services
from .forms import CustomerCheckForm, DecisionForm, ProviderProfileForm, SuspicionReportForm

CHECKERS = roles.SCREENERS | roles.PROGRAMME_READERS


@organisation_required()
def provider_profile(request):
    """What kind of service the organisation provides; a compliance manager sets it."""
    profile = selectors.provider_profile_of(organisation=request.organisation)
    can_edit = request.membership.role in roles.PROGRAMME_EDITORS
    form = ProviderProfileForm(
        request.POST or None, initial={"kind": profile.kind if profile else None}
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.provider_profile_set(
                    organisation=request.organisation, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("providers:check_list")
    return render(
        request,
        "providers/profile.html",
        {"form": form, "profile": profile, "can_edit": can_edit},
    )


@organisation_required(roles=CHECKERS)
def check_list(request):
    profile = selectors.provider_profile_of(organisation=request.organisation)
    if profile is None:
        return redirect("providers:profile")
    return render(
        request,
        "providers/check_list.html",
        {
            "profile": profile,
            "checks": selectors.customer_check_list(organisation=request.organisation)[:200],
            "can_create": request.membership.role in roles.SCREENERS,
        },
    )


@organisation_required(roles=roles.SCREENERS)
def check_create(request):
    profile = selectors.provider_profile_of(organisation=request.organisation)
    if profile is None:
        return redirect("providers:profile")
    form = CustomerCheckForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.customer_check_create(
                organisation=request.organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The check is recorded and both parties were screened."))
            return redirect(check)
    return render(request, "providers/check_form.html", {"form": form, "profile": profile})


def _detail(request, check, *, decision_form=None, report_form=None, status=200):
    can_decide = request.membership.role in roles.PROGRAMME_EDITORS
    return render(
        request,
        "providers/check_detail.html",
        {
            "check": check,
            "profile": selectors.provider_profile_of(organisation=request.organisation),
            "blockers": services.release_blockers(check) if not check.is_final else [],
            "can_decide": can_decide and not check.is_final,
            "decision_form": decision_form or DecisionForm(),
            "report_form": report_form or SuspicionReportForm(),
        },
        status=status,
    )


@organisation_required(roles=CHECKERS)
def check_detail(request, pk):
    check = selectors.customer_check_get(organisation=request.organisation, pk=pk)
    return _detail(request, check)


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def check_decide(request, pk):
    check = selectors.customer_check_get(organisation=request.organisation, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_check_decide(check=check, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(check)
    return _detail(request, check, decision_form=form)


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def check_report(request, pk):
    check = selectors.customer_check_get(organisation=request.organisation, pk=pk)
    form = SuspicionReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspicion_report_record(check=check, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report to MOFCOM is recorded."))
            return redirect(check)
    return _detail(request, check, report_form=form)
