from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from accounts.profiles import LITE_RED_FLAGS
from core.forms import add_service_errors
from icp.selectors.risk import risk_assessment_list

from . import services
from .forms import ProgrammeProfileForm, RiskQuestionnaireForm
from .models import Step
from .selectors import onboarding_progress


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def home(request):
    """The getting-started steps, each with its state and a link to where it is done."""
    progress = onboarding_progress(organisation=request.organisation)
    form = ProgrammeProfileForm(initial={"profile": request.organisation.programme_profile})
    if request.method == "POST":
        form = ProgrammeProfileForm(request.POST)
        if form.is_valid():
            try:
                services.programme_profile_set(
                    organisation=request.organisation, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Programme profile saved."))
                return redirect("onboarding:home")
    return render(
        request,
        "onboarding/home.html",
        {"progress": progress, "profile_form": form, "lite_flags": LITE_RED_FLAGS},
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def step_skip(request, step):
    try:
        services.step_skip(organisation=request.organisation, user=request.user, step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("Step set aside: %(step)s.") % {"step": Step(step).label})
    return redirect("onboarding:home")


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def step_resume(request, step):
    services.step_resume(organisation=request.organisation, user=request.user, step=step)
    return redirect("onboarding:home")


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def risk_questions(request):
    """The first risk assessment by questions; once there is an assessment, it links there."""
    existing = risk_assessment_list(organisation=request.organisation).first()
    form = RiskQuestionnaireForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            assessment = services.risk_assessment_from_answers(
                organisation=request.organisation, user=request.user, answers=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The risk register has been started from your answers. Review each risk."),
            )
            return redirect(assessment)
    return render(request, "onboarding/risk_questions.html", {"form": form, "existing": existing})
