from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import roles
from .forms import (
    InvitationAcceptForm,
    InvitationForm,
    LoginForm,
    MembershipForm,
    OrganisationProfileForm,
    PasswordResetQueuedForm,
    add_service_errors,
)
from .middleware import SESSION_KEY
from .models import User
from .permissions import organisation_required
from .security import client_ip
from .selectors import (
    membership_get,
    organisation_memberships,
    organisation_pending_invitations,
    pending_invitation_get,
)
from .services import (
    PROFILE_FIELDS,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_from_token,
    membership_change,
    membership_deactivate,
    membership_reactivate,
    organisation_profile_update,
    organisation_switch,
    password_reset_request_record,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetQueuedForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        """At most a few e-mails per address and per client address an hour, so the form
        cannot be used to flood someone's mailbox or to probe addresses at speed."""
        try:
            password_reset_request_record(
                email=form.cleaned_data["email"], ip_address=client_ip(self.request)
            )
        except ValidationError as error:
            form.add_error(None, error)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


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


# --- members and invitations ------------------------------------------------------------------


@organisation_required(roles=roles.PROGRAMME_READERS)
def member_list(request):
    """Who holds which role: compliance managers manage it; auditors and management read it
    (segregation of duties and audit independence are theirs to check); staff do not see it."""
    return render(
        request,
        "accounts/member_list.html",
        {
            "memberships": organisation_memberships(request.organisation),
            "invitations": organisation_pending_invitations(request.organisation),
            "can_manage": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def member_invite(request):
    form = InvitationForm(request.POST or None, initial={"role": roles.Role.STAFF})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_create(
                organisation=request.organisation,
                user=request.user,
                email=data["email"],
                role=data["role"],
                job_title=data["job_title"],
                # Built from the request, so the link has the address and port in use.
                link_for=lambda token: request.build_absolute_uri(
                    reverse("accounts:invitation_accept", args=[token])
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Invitation sent to %(email)s. The link works for %(days)d day.",
                    "Invitation sent to %(email)s. The link works for %(days)d days.",
                    settings.ICP_INVITATION_DAYS,
                )
                % {"email": invitation.email, "days": settings.ICP_INVITATION_DAYS},
            )
            return redirect("accounts:member_list")
    return render(
        request,
        "accounts/member_invite.html",
        {"form": form, "days": settings.ICP_INVITATION_DAYS},
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def member_edit(request, pk):
    membership = membership_get(organisation=request.organisation, pk=pk)
    form = MembershipForm(
        request.POST or None,
        initial={"role": membership.role, "job_title": membership.job_title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership_change(
                membership=membership,
                user=request.user,
                role=form.cleaned_data["role"],
                job_title=form.cleaned_data["job_title"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The role of %(name)s is saved.") % {"name": membership.user}
            )
            return redirect("accounts:member_list")
    return render(request, "accounts/member_edit.html", {"membership": membership, "form": form})


def _member_status_change(request, pk, service, done_message):
    membership = membership_get(organisation=request.organisation, pk=pk)
    try:
        service(membership=membership, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts:member_edit", pk=membership.pk)
    messages.success(request, done_message % {"name": membership.user})
    return redirect("accounts:member_list")


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def member_deactivate(request, pk):
    return _member_status_change(
        request,
        pk,
        membership_deactivate,
        _("%(name)s can no longer open this organisation. Their records keep their name."),
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def member_reactivate(request, pk):
    return _member_status_change(
        request, pk, membership_reactivate, _("%(name)s is a member again.")
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def invitation_cancel_view(request, pk):
    invitation = pending_invitation_get(organisation=request.organisation, pk=pk)
    try:
        invitation_cancel(invitation=invitation, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is cancelled; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("accounts:member_list")


def invitation_accept_view(request, token):
    """The page the invitation e-mail links to (no login needed: the link is the proof). A new
    person chooses a name and password; someone with an account just accepts."""
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_accept.html", {"invitation": None})
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = None
    if existing is None:
        form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            membership = invitation_accept(
                invitation=invitation,
                full_name=data.get("full_name", ""),
                password=data.get("password1"),
            )
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(request.path)
            add_service_errors(form, error)
        else:
            name = membership.organisation.name
            if request.user.is_authenticated and request.user.pk == membership.user_id:
                request.session[SESSION_KEY] = membership.organisation_id
                messages.success(request, _("You are now working in %(name)s.") % {"name": name})
                return redirect("icp:overview")
            if request.user.is_authenticated:
                logout(request)  # someone else's session on this browser
            messages.success(
                request,
                _("You have joined %(name)s. Log in with %(email)s to start.")
                % {"name": name, "email": membership.user.email},
            )
            return redirect("accounts:login")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
    )
