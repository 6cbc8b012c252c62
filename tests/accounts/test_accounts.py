import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.middleware import SESSION_KEY
from accounts.models import Membership, User
from accounts.roles import Role
from tests.accounts.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_email_case_insensitively(client):
    UserFactory(email="chen@example.com")
    response = client.post(
        reverse("accounts:login"), {"username": "Chen@Example.com", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_create_user_normalises_email():
    user = User.objects.create_user(email="Wang@EXAMPLE.com", password=TEST_PASSWORD)
    assert user.email == "wang@example.com"


def test_wrong_password_shows_error_and_does_not_log_in(client):
    UserFactory(email="chen@example.com")
    response = client.post(
        reverse("accounts:login"), {"username": "chen@example.com", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_repeated_failures(client, settings):
    UserFactory(email="chen@example.com")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "chen@example.com", "password": "wrong"})
    response = client.post(url, {"username": "chen@example.com", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_email_after_the_request_commits(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="chen@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": "chen@example.com"})
    assert response.status_code == 302
    assert not mail.outbox  # queued for the worker, not sent in the request
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["chen@example.com"]
    assert "/accounts/password/reset/" in message.body
    assert "\n" not in message.subject


def test_password_change_enforces_validators(world):
    client = world.client("manager")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    world.users["manager"].refresh_from_db()
    assert world.users["manager"].check_password(TEST_PASSWORD)


def test_unified_social_credit_code_is_validated():
    organisation = OrganisationFactory.build(unified_social_credit_code="91320594MA1MXK7Q01")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "unified_social_credit_code" in error.value.message_dict


def test_user_in_two_organisations_switches_between_them(world):
    user = world.users["manager"]
    MembershipFactory(user=user, organisation=world.other_organisation, role=Role.AUDITOR)
    client = world.client("manager")
    client.get(reverse("icp:overview"))
    first = client.session[SESSION_KEY]
    target = world.other_organisation if first == world.organisation.pk else world.organisation
    response = client.post(reverse("accounts:switch_organisation"), {"organisation": target.pk})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == target.pk
    response = client.get(reverse("icp:overview"))
    assert response.context["current_organisation"] == target


def test_cannot_switch_to_an_organisation_without_membership(world):
    client = world.client("staff")
    client.get(reverse("icp:overview"))
    client.post(
        reverse("accounts:switch_organisation"), {"organisation": world.other_organisation.pk}
    )
    assert client.session[SESSION_KEY] == world.organisation.pk


def test_deactivated_membership_loses_access_at_once(world):
    client = world.client("auditor")
    assert client.get(reverse("icp:overview")).status_code == 200
    Membership.objects.filter(user=world.users["auditor"]).update(is_active=False)
    assert client.get(reverse("icp:overview")).status_code == 403


def test_admin_is_for_superusers_only(world, client):
    staff_flag_user = world.users["manager"]
    staff_flag_user.is_staff = True
    staff_flag_user.save()
    response = world.client("manager").get(reverse("admin:index"))
    assert response.status_code == 302  # sent to the admin login, not let in
    superuser = User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
