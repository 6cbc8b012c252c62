"""The one role check of the API: an endpoint declares the roles it admits, as a page does
(`roles = roles.SCREENERS`), and `MemberHasRole` checks the token's membership against them
through `accounts.permissions.require_role`, the same check the services make.

A token acts as its user in its one organisation (accounts.api_auth), so the membership checked
is the token's. A member without the role gets 403 with a message, in the caller's language, that
names their role and the roles that may; a request without a valid token gets 401.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from rest_framework import exceptions, permissions

from .permissions import require_role
from .roles import Role


def _role_labels(roles) -> str:
    """The roles' names in the reader's language, in the order of the role list."""
    return pgettext("list separator", ", ").join(
        str(label) for value, label in Role.choices if value in roles
    )


def role_refusal(*, membership, roles) -> str:
    """Why a member may not call this endpoint: the roles that may, and the caller's own."""
    allowed = _role_labels(roles)
    if membership is None or not membership.is_active:
        return _(
            "This endpoint is for %(roles)s; this API token's user is not a member of the "
            "organisation."
        ) % {"roles": allowed}
    return _("This endpoint is for %(roles)s; this API token's user has the role %(role)s.") % {
        "roles": allowed,
        "role": membership.get_role_display(),
    }


class MemberHasRole(permissions.BasePermission):
    """Admits the token's user when their membership has one of the view's `roles`."""

    def has_permission(self, request, view):
        roles = getattr(view, "roles", None)
        if roles is None:
            raise ImproperlyConfigured(
                f"{type(view).__name__} uses MemberHasRole: declare the roles it admits "
                "(roles = accounts.roles.<SET>)."
            )
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 to a request without credentials
        django_request = request._request
        membership = getattr(django_request, "membership", None)
        try:
            require_role(
                roles=roles,
                membership=membership,
                organisation=getattr(django_request, "organisation", None),
            )
        except DjangoPermissionDenied as refusal:
            raise exceptions.PermissionDenied(
                role_refusal(membership=membership, roles=roles)
            ) from refusal
        return True
