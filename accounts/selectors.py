from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Invitation, Membership, User
from .tokens import ApiToken


def organisation_members(organisation):
    """Active users with an active membership in the organisation, for owner/holder choices."""
    return (
        User.objects.filter(
            is_active=True, memberships__organisation=organisation, memberships__is_active=True
        )
        .distinct()
        .order_by("full_name", "email")
    )


def organisation_memberships(organisation):
    """Every membership of the organisation, active ones first, deactivated ones kept."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "user__email")
    )


def organisation_pending_invitations(organisation):
    return (
        Invitation.objects.for_organisation(organisation)
        .pending()
        .select_related("invited_by")
        .order_by("-created_at")
    )


def membership_get(*, organisation, pk) -> Membership:
    """A membership of the organisation (active or deactivated), 404 for another one's."""
    return get_object_or_404(organisation_memberships(organisation), pk=pk)


def pending_invitation_get(*, organisation, pk) -> Invitation:
    """A pending invitation of the organisation, 404 otherwise."""
    return get_object_or_404(organisation_pending_invitations(organisation), pk=pk)


def api_token_list(*, organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.for_organisation(organisation).select_related(
        "user", "created_by", "revoked_by"
    )


def api_token_get(*, organisation, pk) -> ApiToken:
    """The organisation's API token `pk`, 404 for another organisation's."""
    return get_object_or_404(ApiToken.objects.for_organisation(organisation), pk=pk)
