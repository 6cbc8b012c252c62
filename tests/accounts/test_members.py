"""Members and invitations: a compliance manager invites, changes roles, deactivates; every
change reaches the event log; the last compliance manager stays."""

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_KEY
from accounts.models import Invitation, Membership, User
from accounts.roles import Role
from accounts.services import invitation_token
from accounts.tokens import api_token_create, api_token_revoke
from records.models import EventLogEntry
from records.services.eventlog import event_log_verify
from tests.accounts.factories import (
    TEST_PASSWORD,
    InvitationFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Quartz-Lantern-1987"


def _membership(world, persona, organisation=None):
    return Membership.objects.get(
        user=world.users[persona], organisation=organisation or world.organisation
    )


def _events(organisation, record_type, record=None):
    entries = EventLogEntry.objects.filter(organisation=organisation, record_type=record_type)
    if record is not None:
        entries = entries.filter(object_id=str(record.pk))
    return list(entries.order_by("sequence"))


def _post_invite(client, email, role, **extra):
    return client.post(
        reverse("accounts:member_invite"), {"email": email, "role": role, "job_title": ""}, **extra
    )


def _invite(client, email="li.na@acme.test", role="auditor", **extra):
    """Invite, and send the mail the invitation queued for after the commit (core.mail)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return _post_invite(client, email, role, **extra)


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def test_manager_invites_and_the_link_keeps_the_address_and_port_in_use(
    world, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    client = world.client("manager")
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post_invite(client, " Li.Na@ACME.test ", "auditor", HTTP_HOST="127.0.0.1:8123")
    assert response.status_code == 302
    # The request sent nothing: the mail goes through Celery once the invitation commits.
    assert not mail.outbox and len(callbacks) == 1
    callbacks[0]()
    invitation = Invitation.objects.get()
    assert invitation.email == "li.na@acme.test"
    assert invitation.role == Role.AUDITOR
    assert invitation.invited_by == world.users["manager"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li.na@acme.test"]
    assert _link(message).startswith("http://127.0.0.1:8123/accounts/invitation/")
    # In both languages, with the organisation and role named in each.
    assert "Acme Precision" in message.body and "艾克米精密机械有限公司" in message.body
    assert "Auditor" in message.body and "审计员" in message.body
    events = _events(world.organisation, "accounts.invitation")
    assert [e.action for e in events] == ["create"]
    assert events[0].actor == world.users["manager"]
    assert event_log_verify(organisation=world.organisation).ok


def test_a_new_person_accepts_sets_a_password_and_logs_in_with_the_role(world):
    _invite(world.client("manager"))
    link = _link(mail.outbox[0])
    path = link.split("testserver", 1)[1]
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Acme Precision" in page.content.decode()
    # A weak password is refused with the validators' message; nothing is created.
    response = visitor.post(
        path, {"full_name": "李娜", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert response.context["form"]["full_name"].value() == "李娜"
    assert not User.objects.filter(email="li.na@acme.test").exists()
    response = visitor.post(
        path, {"full_name": "李娜", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    user = User.objects.get(email="li.na@acme.test")
    assert user.full_name == "李娜"
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.is_active) == (
        world.organisation,
        Role.AUDITOR,
        True,
    )
    # The link works once.
    again = visitor.get(path)
    assert again.context["invitation"] is None
    assert "not valid" in again.content.decode()
    # Logs in with the password, and works as an auditor of the organisation.
    login = Client()
    response = login.post(
        reverse("accounts:login"), {"username": "Li.Na@acme.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    overview = login.get(reverse("icp:overview"))
    assert overview.context["current_membership"].role == Role.AUDITOR
    assert login.get(reverse("accounts:member_invite")).status_code == 403
    # The log: invitation sent, membership created (by the invitee), invitation accepted.
    membership_events = _events(world.organisation, "accounts.membership", membership)
    assert [(e.action, e.actor, e.details["role"]) for e in membership_events] == [
        ("create", user, "auditor")
    ]
    invitation_events = _events(world.organisation, "accounts.invitation")
    assert [e.action for e in invitation_events] == ["create", "change"]
    assert "accepted_at" in invitation_events[-1].details["fields"]


def test_an_existing_user_invited_to_a_second_organisation_just_accepts(world):
    outsider = world.users["outsider"]
    _invite(world.client("manager"), email="manager@other.test", role="staff")
    path = _link(mail.outbox[0]).split("testserver", 1)[1]
    client = world.client("outsider")
    page = client.get(path)
    assert page.context["form"] is None
    response = client.post(path)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == world.organisation.pk
    assert outsider.check_password(TEST_PASSWORD)  # the password is untouched
    overview = client.get(reverse("icp:overview"))
    assert overview.context["current_organisation"] == world.organisation
    assert {m.organisation for m in overview.context["user_memberships"]} == {
        world.organisation,
        world.other_organisation,
    }
    # The switcher takes them back to their first organisation.
    client.post(
        reverse("accounts:switch_organisation"), {"organisation": world.other_organisation.pk}
    )
    assert client.get(reverse("icp:overview")).context["current_organisation"] == (
        world.other_organisation
    )


def test_an_existing_user_accepting_without_a_session_is_sent_to_log_in(world):
    _invite(world.client("manager"), email="manager@other.test", role="staff")
    path = _link(mail.outbox[0]).split("testserver", 1)[1]
    response = Client().post(path)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert Membership.objects.get(
        user=world.users["outsider"], organisation=world.organisation
    ).role == (Role.STAFF)


@pytest.mark.parametrize("spoil", ["expired", "cancelled", "tampered", "replaced"])
def test_a_spoilt_link_is_refused(world, spoil):
    _invite(world.client("manager"))
    path = _link(mail.outbox[0]).split("testserver", 1)[1]
    invitation = Invitation.objects.get()
    if spoil == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    elif spoil == "cancelled":
        world.client("manager").post(reverse("accounts:invitation_cancel", args=[invitation.pk]))
    elif spoil == "tampered":
        path = path.replace(invitation_token(invitation), invitation_token(invitation)[:-3] + "abc")
    elif spoil == "replaced":
        _invite(world.client("manager"))  # sent again: a new link replaces the old one
        assert Invitation.objects.count() == 1
    response = Client().post(
        path, {"full_name": "李娜", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert response.context["invitation"] is None
    assert not User.objects.filter(email="li.na@acme.test").exists()


def test_a_token_signed_for_another_purpose_is_refused(world):
    from django.core import signing

    invitation = InvitationFactory(organisation=world.organisation)
    forged = signing.dumps({"i": invitation.pk, "n": invitation.nonce})  # default salt
    response = Client().get(reverse("accounts:invitation_accept", args=[forged]))
    assert response.context["invitation"] is None


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("staff@acme.test", "already a member"),
        ("STAFF@acme.test", "already a member"),
        ("not-an-address", "valid email"),
    ],
)
def test_inviting_a_member_or_a_bad_address_is_refused_with_the_input_kept(world, email, message):
    response = _invite(world.client("manager"), email=email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"]["email"].value() == email
    assert not Invitation.objects.exists() and not mail.outbox


def test_inviting_a_deactivated_member_points_to_reactivation(world):
    Membership.objects.filter(user=world.users["staff"]).update(is_active=False)
    response = _invite(world.client("manager"), email="staff@acme.test")
    assert "reactivate them" in response.content.decode()


def test_manager_changes_a_role_and_the_log_keeps_old_and_new(world):
    staff = _membership(world, "staff")
    response = world.client("manager").post(
        reverse("accounts:member_edit", args=[staff.pk]), {"role": "auditor", "job_title": "内审"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.role, staff.job_title) == (Role.AUDITOR, "内审")
    (event,) = _events(world.organisation, "accounts.membership", staff)
    assert event.action == "change"
    assert event.actor == world.users["manager"]
    assert event.details["role"] == {"from": "staff", "to": "auditor"}
    assert event.object_repr == "staff@acme.test"


def test_the_last_compliance_manager_cannot_be_demoted_or_deactivated(world):
    manager = _membership(world, "manager")
    client = world.client("manager")
    response = client.post(
        reverse("accounts:member_edit", args=[manager.pk]), {"role": "staff", "job_title": ""}
    )
    assert response.status_code == 200
    assert "only active compliance manager" in response.content.decode()
    response = client.post(reverse("accounts:member_deactivate", args=[manager.pk]), follow=True)
    assert "only active compliance manager" in response.content.decode()
    manager.refresh_from_db()
    assert (manager.role, manager.is_active) == (Role.COMPLIANCE_MANAGER, True)
    assert not _events(world.organisation, "accounts.membership", manager)
    # A deactivated second manager does not count either.
    second = MembershipFactory(organisation=world.organisation, manager=True, is_active=False)
    client.post(reverse("accounts:member_deactivate", args=[manager.pk]))
    manager.refresh_from_db()
    assert manager.is_active
    # With an active second manager, the first may step down.
    client.post(reverse("accounts:member_reactivate", args=[second.pk]))
    response = client.post(
        reverse("accounts:member_edit", args=[manager.pk]), {"role": "staff", "job_title": ""}
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.role == Role.STAFF


def test_a_deactivated_member_loses_access_at_once_and_can_be_reactivated(world):
    auditor_client = world.client("auditor")
    assert auditor_client.get(reverse("icp:overview")).status_code == 200
    membership = _membership(world, "auditor")
    response = world.client("manager").post(
        reverse("accounts:member_deactivate", args=[membership.pk])
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert auditor_client.get(reverse("icp:overview")).status_code == 403  # live session
    assert auditor_client.get(reverse("accounts:member_list")).status_code == 403
    (event,) = _events(world.organisation, "accounts.membership", membership)
    assert event.details["is_active"] == {"from": True, "to": False}
    world.client("manager").post(reverse("accounts:member_reactivate", args=[membership.pk]))
    assert auditor_client.get(reverse("icp:overview")).status_code == 200
    events = _events(world.organisation, "accounts.membership", membership)
    assert [e.details["is_active"]["to"] for e in events] == [False, True]


def test_the_switcher_ignores_a_deactivated_membership(world):
    user = world.users["auditor"]
    MembershipFactory(user=user, organisation=world.other_organisation, auditor=True)
    client = world.client("auditor")
    response = client.get(reverse("icp:overview"))
    assert len(response.context["user_memberships"]) == 2
    Membership.objects.filter(user=user, organisation=world.other_organisation).update(
        is_active=False
    )
    response = client.get(reverse("icp:overview"))
    assert [m.organisation for m in response.context["user_memberships"]] == [world.organisation]
    assert world.other_organisation.name not in response.content.decode()
    client.post(
        reverse("accounts:switch_organisation"), {"organisation": world.other_organisation.pk}
    )
    assert client.get(reverse("icp:overview")).context["current_organisation"] == (
        world.organisation
    )


def test_a_session_in_a_deactivated_organisation_membership_falls_back_to_another(world):
    user = world.users["auditor"]
    MembershipFactory(user=user, organisation=world.other_organisation, auditor=True)
    client = world.client("auditor")
    client.post(
        reverse("accounts:switch_organisation"), {"organisation": world.other_organisation.pk}
    )
    Membership.objects.filter(user=user, organisation=world.other_organisation).update(
        is_active=False
    )
    response = client.get(reverse("icp:overview"))
    assert response.context["current_organisation"] == world.organisation


def test_members_page_lists_members_and_invitations_read_only_for_auditors(world):
    InvitationFactory(organisation=world.organisation, email="wait@acme.test")
    InvitationFactory(
        organisation=world.organisation, email="old@acme.test", expires_at=timezone.now()
    )
    Membership.objects.filter(user=world.users["staff"]).update(is_active=False)
    manager_page = world.client("manager").get(reverse("accounts:member_list")).content.decode()
    assert "Invite a member" in manager_page and "Cancel the invitation" in manager_page
    assert "wait@acme.test" in manager_page and "old@acme.test" not in manager_page
    assert "Deactivated" in manager_page
    assert "manager@other.test" not in manager_page
    auditor_page = world.client("auditor").get(reverse("accounts:member_list")).content.decode()
    assert "staff@acme.test" in auditor_page
    assert "Invite a member" not in auditor_page and "Cancel the invitation" not in auditor_page


def test_members_page_query_count_does_not_grow(world, django_assert_max_num_queries):
    for _ in range(120):
        MembershipFactory(organisation=world.organisation)
    for _ in range(40):
        InvitationFactory(organisation=world.organisation, invited_by=world.users["manager"])
    client = world.client("manager")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:member_list"))
    assert response.content.decode().count('data-testid="member-') >= 124


def test_api_token_creation_and_revocation_reach_the_event_log(world):
    manager = world.users["manager"]
    token, _raw = api_token_create(
        organisation=world.organisation, user=manager, name="ERP", created_by=manager
    )
    api_token_revoke(token=token, user=manager)
    api_token_revoke(token=token, user=manager)  # idempotent: logged once
    events = _events(world.organisation, "accounts.apitoken")
    assert [(e.action, e.actor) for e in events] == [("create", manager), ("change", manager)]
    assert events[1].details["revoked"] is True
    assert event_log_verify(organisation=world.organisation).ok


def test_api_token_pages_log_through_the_services(world):
    client = world.client("manager")
    client.post(reverse("screening:token_list"), {"name": "ERP", "user": world.users["manager"].pk})
    token = world.users["manager"].api_tokens.get()
    client.post(reverse("screening:token_revoke", args=[token.pk]))
    assert [e.action for e in _events(world.organisation, "accounts.apitoken")] == [
        "create",
        "change",
    ]


def test_organisation_details_changes_reach_the_event_log(world):
    response = world.client("manager").post(
        reverse("accounts:organisation_profile"),
        {
            "name_zh": "艾克米精密机械股份有限公司",
            "name_en": "Acme Precision",
            "unified_social_credit_code": world.organisation.unified_social_credit_code,
        },
    )
    assert response.status_code == 302
    events = _events(world.organisation, "accounts.organisation")
    assert events[-1].action == "change"
    assert events[-1].actor == world.users["manager"]
    assert "name_zh" in events[-1].details["fields"]
    assert "艾克米精密机械股份有限公司" in events[-1].object_repr
    assert event_log_verify(organisation=world.organisation).ok


def test_membership_changes_in_the_admin_reach_the_event_log(world, client):
    root = User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)
    client.force_login(root)
    staff = world.users["staff"]
    membership = _membership(world, "staff")
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    page = client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if key in ("email", "full_name", "is_active", "is_staff", "is_superuser")
    }
    data.update(
        {
            "password": staff.password,
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(membership.pk),
            "memberships-0-user": str(staff.pk),
            "memberships-0-organisation": str(world.organisation.pk),
            "memberships-0-role": "auditor",
            "memberships-0-job_title": "",
            "memberships-0-is_active": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    (event,) = _events(world.organisation, "accounts.membership", membership)
    assert event.actor == root
    assert event.details["role"] == {"from": "staff", "to": "auditor"}
