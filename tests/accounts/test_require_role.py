"""The one role check (accounts.permissions.require_role), its yes/no companion `has_role`
and the API's permission class built on it (accounts.api_permissions.MemberHasRole)."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import translation
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts.api_permissions import MemberHasRole, role_refusal
from accounts.models import Membership
from accounts.permissions import has_role, require_role
from accounts.roles import APPROVERS, PROGRAMME_EDITORS, PROGRAMME_READERS

pytestmark = pytest.mark.django_db


def _membership(world, persona):
    return Membership.objects.get(user=world.users[persona])


def test_looks_up_the_users_active_membership(world):
    membership = require_role(
        organisation=world.organisation, user=world.users["manager"], roles=PROGRAMME_EDITORS
    )
    assert membership == _membership(world, "manager")


@pytest.mark.parametrize("persona", ["auditor", "executive", "staff", "outsider"])
def test_refuses_another_role_or_organisation(world, persona):
    with pytest.raises(PermissionDenied, match="managers only"):
        require_role(
            organisation=world.organisation,
            user=world.users[persona],
            roles=PROGRAMME_EDITORS,
            message="managers only",
        )


def test_checks_a_membership_the_caller_holds(world):
    executive = _membership(world, "executive")
    assert require_role(membership=executive, roles=APPROVERS) == executive
    with pytest.raises(PermissionDenied):
        require_role(membership=executive, roles=PROGRAMME_EDITORS)
    with pytest.raises(PermissionDenied):
        require_role(membership=None, roles=APPROVERS)


def test_a_membership_of_another_organisation_or_deactivated_is_refused(world):
    outsider = _membership(world, "outsider")
    with pytest.raises(PermissionDenied):
        require_role(membership=outsider, organisation=world.organisation, roles=PROGRAMME_EDITORS)
    manager = _membership(world, "manager")
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        require_role(membership=manager, roles=PROGRAMME_EDITORS)
    with pytest.raises(PermissionDenied):
        require_role(
            organisation=world.organisation, user=world.users["manager"], roles=PROGRAMME_EDITORS
        )


@pytest.mark.parametrize("persona", ["manager", "auditor", "executive", "staff", "outsider"])
def test_has_role_answers_what_require_role_decides(world, persona):
    user = world.users[persona]
    try:
        require_role(organisation=world.organisation, user=user, roles=PROGRAMME_EDITORS)
    except PermissionDenied:
        expected = False
    else:
        expected = True
    assert has_role(organisation=world.organisation, user=user, roles=PROGRAMME_EDITORS) is (
        expected
    )
    assert expected is (persona == "manager")


# --- the API's permission class ------------------------------------------------------------------


class _Endpoint(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [MemberHasRole]
    roles = APPROVERS

    def get(self, request):
        return Response({"ok": True})


class _Undeclared(_Endpoint):
    roles = None


def _call(view_class, world, persona=None):
    request = APIRequestFactory().get("/api/v1/test")
    if persona is not None:
        request.user = world.users[persona]
        request.organisation = world.organisation
        request.membership = Membership.objects.filter(
            user=world.users[persona], organisation=world.organisation
        ).first()
        force_authenticate(request, user=world.users[persona])
    return view_class.as_view()(request)


@pytest.mark.parametrize(
    "persona, expected",
    [("executive", 200), ("manager", 403), ("auditor", 403), ("staff", 403), ("outsider", 403)],
)
def test_member_has_role_admits_the_views_roles_only(world, persona, expected):
    response = _call(_Endpoint, world, persona)
    assert response.status_code == expected
    if expected == 403:
        assert response.data["detail"].startswith("This endpoint is for Management;")


def test_member_has_role_answers_401_without_credentials_and_needs_declared_roles(world):
    anonymous = _call(_Endpoint, world)  # session authentication has no 401 challenge: 403
    assert anonymous.status_code == 403 and anonymous.data["detail"].code == "not_authenticated"
    with pytest.raises(ImproperlyConfigured):
        _call(_Undeclared, world, "executive")


def test_the_refusal_names_the_roles_that_may_and_the_callers(world):
    staff = _membership(world, "staff")
    assert role_refusal(membership=staff, roles=PROGRAMME_READERS) == (
        "This endpoint is for Compliance manager, Auditor, Management; this API token's user "
        "has the role Staff."
    )
    assert "not a member" in role_refusal(membership=None, roles=APPROVERS)
    with translation.override("zh-hans"):
        assert "员工" in role_refusal(membership=staff, roles=PROGRAMME_READERS)
