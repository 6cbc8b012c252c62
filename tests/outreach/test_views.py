"""Outreach pages: a chamber sees the registrations of its own events only, a member sees the
events of its chambers only, times are shown in Beijing time, the certificate check is public."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from outreach.models import Event, Registration
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chamber(world):
    chamber, users = chamber_with_staff()
    ChamberMembershipFactory(organisation=chamber.organisation, member=world.organisation)
    return chamber, users


def _login(client, user):
    client.force_login(user)
    return client


def test_the_chamber_sees_who_registered_for_its_own_events_only(client, chamber, world):
    _chamber, users = chamber
    event = EventFactory(organisation=_chamber.organisation)
    RegistrationFactory(event=event, member=world.organisation, user=world.users["staff"])
    other_chamber, other_users = chamber_with_staff(slug="other-chamber")
    ChamberMembershipFactory(organisation=other_chamber.organisation, member=world.organisation)
    _login(client, users["auditor"])
    page = client.get(reverse("outreach:event_detail", args=[event.pk]))
    assert page.status_code == 200
    assert str(world.users["staff"]) in page.content.decode()
    assert world.organisation.name_en in page.content.decode()
    _login(client, other_users["manager"])
    assert client.get(reverse("outreach:event_detail", args=[event.pk])).status_code == 404
    assert event.title_en not in client.get(reverse("outreach:event_list")).content.decode()


def test_a_member_sees_the_events_of_its_chambers_only(client, chamber, world):
    _chamber, _users = chamber
    own = EventFactory(organisation=_chamber.organisation)
    foreign = EventFactory()  # a chamber the organisation is no member of
    _login(client, world.users["staff"])
    listing = client.get(reverse("outreach:member_event_list")).content.decode()
    assert own.title_en in listing and foreign.title_en not in listing
    detail = reverse("outreach:member_event_detail", args=[foreign.pk])
    assert client.get(detail).status_code == 404
    register = reverse("outreach:event_register", args=[foreign.pk])
    assert client.post(register).status_code == 404
    assert not Registration.objects.filter(event=foreign).exists()


def test_times_are_shown_in_beijing_time(client, chamber, world):
    _chamber, _users = chamber
    start = datetime.datetime(2030, 5, 20, 6, 0, tzinfo=datetime.UTC)  # 14:00 in Beijing
    event = EventFactory(
        organisation=_chamber.organisation,
        starts_at=start,
        registration_deadline=start - datetime.timedelta(days=2),
    )
    _login(client, world.users["staff"])
    page = client.get(reverse("outreach:member_event_detail", args=[event.pk])).content.decode()
    assert "2030-05-20 14:00" in page and "06:00" not in page
    assert "Beijing time" in page


def test_register_cancel_and_the_full_event_from_the_page(client, chamber, world):
    _chamber, _users = chamber
    event = EventFactory(organisation=_chamber.organisation, capacity=1)
    _login(client, world.users["staff"])
    response = client.post(reverse("outreach:event_register", args=[event.pk]), follow=True)
    assert "You are registered." in response.content.decode()
    registration = Registration.objects.get(event=event)
    _login(client, world.users["auditor"])
    response = client.post(reverse("outreach:event_register", args=[event.pk]), follow=True)
    assert "This event is full." in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1
    # Nobody but the person cancels their registration.
    cancel = reverse("outreach:registration_cancel", args=[registration.pk])
    assert client.post(cancel).status_code == 404
    _login(client, world.users["staff"])
    client.post(cancel)
    registration.refresh_from_db()
    assert not registration.is_active


def test_the_chamber_records_attendance_on_its_page(client, chamber, world):
    _chamber, users = chamber
    start = timezone.now() - datetime.timedelta(hours=2)
    event = EventFactory(
        organisation=_chamber.organisation,
        starts_at=start,
        registration_deadline=start - datetime.timedelta(days=1),
    )
    present = RegistrationFactory(event=event, member=world.organisation, user=world.users["staff"])
    absent = RegistrationFactory(
        event=event, member=world.organisation, user=world.users["auditor"]
    )
    _login(client, users["manager"])
    url = reverse("outreach:event_attendance", args=[event.pk])
    client.post(url, {"attended": [str(present.pk)]})
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.attended and not absent.attended
    # A registration of another event is refused and changes nothing.
    stray = RegistrationFactory(
        event=EventFactory(organisation=_chamber.organisation),
        member=world.organisation,
        user=world.users["manager"],
    )
    response = client.post(url, {"attended": [str(present.pk), str(stray.pk)]}, follow=True)
    assert "Record attendance only of people registered" in response.content.decode()
    stray.refresh_from_db()
    assert not stray.attended


def test_the_certificate_check_is_public(client, chamber, world):
    _chamber, _users = chamber
    registration = RegistrationFactory(
        event=EventFactory(organisation=_chamber.organisation),
        member=world.organisation,
        user=world.users["staff"],
        attended=True,
        verification_code="k3Zq9VbT0uXn2LrW",
    )
    page = client.get(reverse("outreach:certificate_verify", args=["k3Zq9VbT0uXn2LrW"]))
    assert page.status_code == 200
    assert registration.certificate_number in page.content.decode()
    assert str(world.users["staff"]) in page.content.decode()
    assert client.get(reverse("outreach:certificate_verify", args=["nope"])).status_code == 404
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    page = client.get(reverse("outreach:certificate_verify", args=["k3Zq9VbT0uXn2LrW"]))
    assert page.status_code == 404


def test_the_chamber_sees_nothing_of_a_member_but_its_registrations(client, chamber, world):
    """The outreach pages of the chamber name a member's registrants; its own pages (the
    programme, parties) stay closed to the chamber's people."""
    _chamber, users = chamber
    _login(client, users["manager"])
    for name in ("outreach:member_event_list", "outreach:case_list"):
        page = client.get(reverse(name)).content.decode()
        assert world.organisation.name_en not in page
    stranger = MembershipFactory(
        organisation=OrganisationFactory(), user=UserFactory(), role=Role.COMPLIANCE_MANAGER
    ).user
    _login(client, stranger)
    assert client.get(reverse("outreach:event_list")).status_code == 404


def test_the_case_library_says_why_it_starts_empty(client, world):
    _login(client, world.users["staff"])
    page = client.get(reverse("outreach:case_list")).content.decode()
    assert "The workbench ships no cases" in page
    assert "Your organisation&#x27;s cases" not in page  # staff read only the chambers' cases
    assert Event.objects.count() == 0


def test_a_deadline_after_the_start_is_shown_under_its_field(client, chamber):
    _chamber, users = chamber
    _login(client, users["manager"])
    data = {
        "kind": "seminar",
        "title_zh": "出口管制合规研讨会",
        "starts_at": "2030-05-20T14:00",
        "duration_minutes": "120",
        "place": "商会报告厅",
        "capacity": "40",
        "registration_deadline": "2030-05-21T17:00",
    }
    response = client.post(reverse("outreach:event_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["registration_deadline"] == [
        "Registration must close before the event starts."
    ]
    assert "event_deadline_before_start" not in response.content.decode()
    assert not Event.objects.exists()
