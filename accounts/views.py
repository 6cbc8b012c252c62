from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from . import roles
from .forms import OrganisationProfileForm
from .permissions import organisation_required
from .services import PROFILE_FIELDS, organisation_profile_update, organisation_switch


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@require_POST
@login_required
def switch_organisation(request):
    try:
        membership = organisation_switch(
            request=request, organisation_id=int(request.POST.get("organisation", 0))
        )
    except (ValueError, ValidationError):
        messages.error(request, _("You are not a member of that organisation."))
        return redirect("icp:overview")
    messages.success(
        request, _("You are now working in %(name)s.") % {"name": membership.organisation.name}
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    # Another organisation's record would be a 404, so land on its overview instead.
    return redirect(next_url or "icp:overview")


@organisation_required(roles=roles.ALL_MEMBERS)
def organisation_profile(request):
    """The organisation's details and logo, as the manual prints them; compliance managers
    change them here."""
    organisation = request.organisation
    can_edit = request.membership.role in roles.PROGRAMME_EDITORS
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = None
    if can_edit:
        initial = {name: getattr(organisation, name) for name in PROFILE_FIELDS}
        form = OrganisationProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation_profile_update(
                organisation=organisation,
                user=request.user,
                fields={name: data[name] for name in PROFILE_FIELDS},
                logo=data["logo"],
                remove_logo=data["remove_logo"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            organisation.refresh_from_db()
        else:
            messages.success(request, _("Organisation details saved."))
            return redirect("accounts:organisation_profile")
    return render(
        request,
        "accounts/organisation_profile.html",
        {"organisation": organisation, "form": form, "can_edit": can_edit},
    )


@organisation_required(roles=roles.ALL_MEMBERS)
def organisation_logo(request):
    """The current organisation's logo (members only: media files are never served directly)."""
    logo = request.organisation.logo
    if not logo:
        raise Http404
    response = FileResponse(logo.open("rb"))  # the content type follows the .png/.jpg name
    response["Cache-Control"] = "private, no-cache"
    return response
