from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .middleware import SESSION_KEY
from .models import Membership


def organisation_switch(*, request, organisation_id: int) -> Membership:
    """Make another of the user's organisations the current one (checked against membership)."""
    membership = (
        Membership.objects.active()
        .filter(user=request.user, organisation_id=organisation_id)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise ValidationError(_("You are not a member of that organisation."))
    request.session[SESSION_KEY] = membership.organisation_id
    return membership
