"""Chamber pages (for a chamber's own people) and chamber pages for members.

Views check the role with @organisation_required and fetch only through the selectors, which
are scoped: the chamber's pages answer 404 in an organisation that is not a chamber, and a
member sees a chamber's publications only while it is a member.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors

from . import content, selectors, services
from .forms import (
    ListUpdateForm,
    ListUpdateStatusForm,
    MemberInviteForm,
    MembershipAcceptForm,
    PublicationForm,
)
from .models import (
    ADOPTABLE_KINDS,
    ChamberMembership,
    ChamberMembershipStatus,
    ListUpdate,
    Publication,
    PublicationKind,
)


def _chamber(request):
    chamber = services.chamber_of(request.organisation)
    if chamber is None:
        raise Http404
    return chamber


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- the chamber's own pages -------------------------------------------------------------------


@organisation_required(roles=roles.PROGRAMME_READERS)
def home(request):
    """The chamber's members and invitations; compliance managers invite."""
    chamber = _chamber(request)
    form = MemberInviteForm()
    if request.method == "POST":
        if request.membership.role not in roles.PROGRAMME_EDITORS:
            raise PermissionDenied
        form = MemberInviteForm(request.POST)
        if form.is_valid():
            try:
                membership = services.chamber_member_invite(
                    organisation=request.organisation,
                    actor=request.user,
                    credit_code=form.cleaned_data["credit_code"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(organisation)s has been invited.") % {"organisation": membership.member},
                )
                return redirect("chambers:home")
    return render(
        request,
        "chambers/home.html",
        {
            "chamber": chamber,
            "memberships": selectors.chamber_memberships(organisation=request.organisation),
            "form": form,
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def members_view(request):
    """Each consenting member's programme status; anonymised figures for the rest."""
    chamber = _chamber(request)
    view = selectors.members_view(organisation=request.organisation)
    return render(
        request,
        "chambers/members_view.html",
        {
            "chamber": chamber,
            "view": view,
            "min_group": selectors.MIN_ANONYMOUS_GROUP,
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def publication_list(request):
    chamber = _chamber(request)
    return render(
        request,
        "chambers/publication_list.html",
        {
            "chamber": chamber,
            "publications": selectors.publications(organisation=request.organisation),
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def publication_create(request):
    chamber = _chamber(request)
    if request.method == "POST":
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                publication = services.publication_create(
                    organisation=request.organisation,
                    actor=request.user,
                    data=form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Draft saved. Check it, then publish it."))
                return redirect(publication)
    else:
        kind = request.GET.get("kind")
        form = PublicationForm(initial={"kind": kind if kind in PublicationKind.values else None})
    return render(request, "chambers/publication_form.html", {"chamber": chamber, "form": form})


def _own_publication(request, pk) -> Publication:
    _chamber(request)
    try:
        return selectors.publications(organisation=request.organisation).get(pk=pk)
    except Publication.DoesNotExist as exc:
        raise Http404 from exc


@organisation_required(roles=roles.PROGRAMME_READERS)
def publication_detail(request, pk):
    publication = _own_publication(request, pk)
    return render(
        request,
        "chambers/publication_detail.html",
        {
            "publication": publication,
            "shared": content.shared_view(publication),
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
            "member_count": selectors.chamber_memberships(organisation=request.organisation)
            .filter(status=ChamberMembershipStatus.ACTIVE)
            .count(),
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def publication_publish(request, pk):
    publication = _own_publication(request, pk)
    try:
        services.publication_publish(publication=publication, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Published to the chamber's members."))
    return redirect(publication)


@organisation_required(roles=roles.PROGRAMME_READERS)
def list_updates(request):
    """The chamber's screening lists as published to its members; editors publish the current
    version of a list with its announcement."""
    chamber = _chamber(request)
    can_edit = request.membership.role in roles.PROGRAMME_EDITORS
    form = ListUpdateForm(organisation=request.organisation)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ListUpdateForm(request.POST, organisation=request.organisation)
        if form.is_valid():
            try:
                update = services.list_update_publish(
                    organisation=request.organisation, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Version %(number)d of %(list)s has been published to the members.")
                    % {"number": update.version.number, "list": update.screening_list.name},
                )
                return redirect("chambers:list_updates")
    return render(
        request,
        "chambers/list_updates.html",
        {
            "chamber": chamber,
            "form": form,
            "updates": selectors.list_updates(organisation=request.organisation),
            "status_form": ListUpdateStatusForm(),
            "can_edit": can_edit,
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def list_update_status(request, pk):
    _chamber(request)
    try:
        update = selectors.list_update_get(organisation=request.organisation, pk=pk)
    except ListUpdate.DoesNotExist as exc:
        raise Http404 from exc
    form = ListUpdateStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the announcement's status."))
        return redirect("chambers:list_updates")
    try:
        services.list_update_status_set(
            list_update=update, actor=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Status saved."))
    return redirect("chambers:list_updates")


# --- the member's pages ------------------------------------------------------------------------


@organisation_required()
def my_chambers(request):
    """The organisation's chambers and invitations; what they published."""
    memberships = list(selectors.memberships_of_member(organisation=request.organisation))
    return render(
        request,
        "chambers/my_chambers.html",
        {
            "memberships": memberships,
            "accept_form": MembershipAcceptForm(),
            "can_decide": request.membership.role in roles.CHAMBER_MEMBERSHIP_DECIDERS,
            "updates": selectors.publications_for_member(
                organisation=request.organisation, kind=PublicationKind.REGULATORY_UPDATE
            )[:20],
            "templates": selectors.publications_for_member(organisation=request.organisation)
            .exclude(kind=PublicationKind.REGULATORY_UPDATE)
            .exclude(kind__in=ADOPTABLE_KINDS)[:20],
            "adoptables": selectors.adoptables_for_member(organisation=request.organisation)[:20],
            "adopted": {
                adoption.publication_id: adoption
                for adoption in selectors.adoptions(organisation=request.organisation)
            },
        },
    )


def _member_membership(request, pk) -> ChamberMembership:
    try:
        return selectors.member_membership_get(organisation=request.organisation, pk=pk)
    except ChamberMembership.DoesNotExist as exc:
        raise Http404 from exc


@require_POST
@organisation_required(roles=roles.CHAMBER_MEMBERSHIP_DECIDERS)
def membership_accept(request, pk):
    membership = _member_membership(request, pk)
    form = MembershipAcceptForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    try:
        services.chamber_membership_accept(
            membership=membership,
            actor=request.user,
            shares_status=form.cleaned_data.get("shares_status", False),
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Your organisation is now a member of %(chamber)s.")
            % {"chamber": membership.organisation},
        )
    return redirect("chambers:my_chambers")


@require_POST
@organisation_required(roles=roles.CHAMBER_MEMBERSHIP_DECIDERS)
def membership_decline(request, pk):
    membership = _member_membership(request, pk)
    try:
        services.chamber_membership_decline(membership=membership, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Invitation declined."))
    return redirect("chambers:my_chambers")


@require_POST
@organisation_required(roles=roles.CHAMBER_MEMBERSHIP_DECIDERS)
def membership_leave(request, pk):
    membership = _member_membership(request, pk)
    try:
        services.chamber_membership_leave(membership=membership, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Your organisation has left %(chamber)s.") % {"chamber": membership.organisation},
        )
    return redirect("chambers:my_chambers")


@require_POST
@organisation_required(roles=roles.CHAMBER_MEMBERSHIP_DECIDERS)
def membership_consent(request, pk):
    membership = _member_membership(request, pk)
    shares = request.POST.get("shares_status") == "1"
    try:
        services.chamber_membership_consent_set(
            membership=membership, actor=request.user, shares_status=shares
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("The chamber now sees your programme status.")
            if shares
            else _("The chamber no longer sees your programme status."),
        )
    return redirect("chambers:my_chambers")


def _member_publication(request, pk) -> Publication:
    try:
        return selectors.member_publication_get(organisation=request.organisation, pk=pk)
    except Publication.DoesNotExist as exc:
        raise Http404 from exc


@organisation_required()
def update_detail(request, pk):
    """A chamber's publication as its member reads it (404 to anyone else). What members adopt
    shows whether the organisation has, and for a list what adopting it would change."""
    publication = _member_publication(request, pk)
    can_adopt = request.membership.role in roles.PROGRAMME_EDITORS
    adoption = selectors.adoption_of(organisation=request.organisation, publication=publication)
    preview = None
    if publication.is_adoptable and can_adopt and adoption is None:
        try:
            preview = services.adoption_preview(
                organisation=request.organisation, actor=request.user, publication=publication
            )
        except ValidationError as error:
            _error(request, error)
    return render(
        request,
        "chambers/update_detail.html",
        {
            "publication": publication,
            "shared": content.shared_view(publication),
            "adoption": adoption,
            "can_adopt": can_adopt,
            "preview": preview,
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def publication_adopt(request, pk):
    """The compliance manager takes a chamber's list version, course or manual settings into
    the organisation's own programme."""
    publication = _member_publication(request, pk)
    try:
        services.publication_adopt(
            organisation=request.organisation, actor=request.user, publication=publication
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, ADOPTED_MESSAGES[publication.kind])
    return redirect("chambers:update_detail", pk=publication.pk)


ADOPTED_MESSAGES = {
    PublicationKind.CONTROL_LIST: _lazy(
        "The chamber's control list is now your organisation's own version; your "
        "classification uses it."
    ),
    PublicationKind.CUSTOMS_CATALOGUE: _lazy(
        "The chamber's customs catalogue is now your organisation's own version; HS codes are "
        "checked against it."
    ),
    PublicationKind.TRAINING_COURSE: _lazy(
        "The course was added to your courses; staff can read the material and take the quiz."
    ),
    PublicationKind.MANUAL_SETTINGS: _lazy(
        "The recommended settings are now your manual settings; you can change them on the "
        "manual page."
    ),
}


@organisation_required(roles=roles.PROGRAMME_READERS)
def shared_lists(request):
    """The screening lists the organisation's chambers keep, and which it screens against."""
    return render(
        request,
        "chambers/shared_lists.html",
        {
            "shared_lists": selectors.shared_lists_for_member(organisation=request.organisation),
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def list_subscription(request, pk):
    """Start or stop screening against a list one of the organisation's chambers keeps."""
    shared = next(
        (
            item
            for item in selectors.shared_lists_for_member(organisation=request.organisation)
            if item.screening_list.pk == pk
        ),
        None,
    )
    if shared is None:
        raise Http404
    active = request.POST.get("active") == "1"
    try:
        services.list_subscription_set(
            organisation=request.organisation,
            actor=request.user,
            screening_list=shared.screening_list,
            active=active,
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Your parties are being screened against %(list)s in the background.")
            % {"list": shared.screening_list.name}
            if active
            else _("Your organisation no longer screens against %(list)s.")
            % {"list": shared.screening_list.name},
        )
    return redirect("chambers:shared_lists")
