"""The one service-side role check (accounts.permissions.require_role)."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Membership
from accounts.permissions import require_role
from accounts.roles import APPROVERS, PROGRAMME_EDITORS

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
