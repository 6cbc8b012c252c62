"""The one mechanism that checks organisation and role for every view, and its service-side
counterpart.

Function views use `@organisation_required(roles=...)`; list pages subclass
`core.lists.ScopedListView`, which is an `OrganisationMixin`. Anonymous users are sent to the
login page and a member without the role gets 403. Records are fetched through the apps'
selectors (`<thing>_get(*, organisation, pk)`), so a record of another organisation is simply not
found (404). Services check the actor's role with `require_role` (`has_role` when a page only
needs to know the answer), and the API with `accounts.api_permissions.MemberHasRole`, which calls
it too.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from . import roles as role_sets


def require_role(*, roles, membership=None, organisation=None, user=None, message=""):
    """The one service-side role check: the active membership whose role is one of `roles`,
    PermissionDenied(message) otherwise. Give the membership the caller already holds (a
    request's), or the organisation and the user to look it up; given both, the membership must
    belong to that organisation. The counterpart of the view checks below."""
    # Imported here: accounts.models imports this package's role sets, not the other way round.
    from .models import Membership

    if membership is None and organisation is not None and user is not None:
        membership = (
            Membership.objects.active().filter(organisation=organisation, user=user).first()
        )
    if (
        membership is None
        or not membership.is_active
        or membership.role not in roles
        or (organisation is not None and membership.organisation_id != organisation.pk)
    ):
        raise PermissionDenied(message)
    return membership


def has_role(*, roles, membership=None, organisation=None, user=None) -> bool:
    """`require_role` as a yes/no, for a page that shows or hides what the service would refuse
    (the service itself calls `require_role`). The same check, never a second one."""
    try:
        require_role(roles=roles, membership=membership, organisation=organisation, user=user)
    except PermissionDenied:
        return False
    return True


def check_membership(request, allowed_roles) -> None:
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in allowed_roles:
        raise PermissionDenied


class OrganisationMixin:
    roles = role_sets.ALL_MEMBERS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check_membership(request, self.roles)
        self.organisation = request.organisation
        self.membership = request.membership
        return super().dispatch(request, *args, **kwargs)


def organisation_required(roles=role_sets.ALL_MEMBERS):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_membership(request, roles)
            return view(request, *args, **kwargs)

        # Read by view_roles(): the navigation shows an entry only to the roles its view admits.
        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def view_roles(view) -> frozenset | None:
    """The roles a view admits (`@organisation_required` or `OrganisationMixin`), None when the
    view does not check a membership."""
    roles = getattr(view, "allowed_roles", None)
    if roles is None:
        view_class = getattr(view, "view_class", None)
        if view_class is not None and issubclass(view_class, OrganisationMixin):
            roles = view_class.roles
    return frozenset(roles) if roles is not None else None
