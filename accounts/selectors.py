from .models import Invitation, Membership, User


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
