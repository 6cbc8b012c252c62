from .models import User


def organisation_members(organisation):
    """Active users with an active membership in the organisation, for owner/holder choices."""
    return (
        User.objects.filter(
            is_active=True, memberships__organisation=organisation, memberships__is_active=True
        )
        .distinct()
        .order_by("full_name", "email")
    )
