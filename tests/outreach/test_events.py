"""Outreach events: registration within the places and before the deadline, cancellation,
attendance, the member's training record, the certificate and its check."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from icp.models import Attendance, TrainingSession
from icp.services.training_library import course_adopt
from outreach import services
from outreach.models import Registration, RegistrationStatus
from records.models import EventLogEntry
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chamber(world):
    chamber, users = chamber_with_staff()
    ChamberMembershipFactory(organisation=chamber.organisation, member=world.organisation)
    return chamber, users


def _event(chamber, **values):
    _chamber, users = chamber
    return EventFactory(organisation=_chamber.organisation, created_by=users["manager"], **values)


def _start(event, days_ago=1):
    """Move the event into the past, as if it took place."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    type(event).objects.filter(pk=event.pk).update(
        starts_at=start, registration_deadline=start - datetime.timedelta(days=1)
    )
    event.refresh_from_db()
    return event


def _register(event, world, persona):
    return services.event_register(
        event=event, member=world.organisation, actor=world.users[persona]
    )


def test_event_create_needs_a_chamber_a_place_and_a_deadline_before_the_start(chamber, world):
    _chamber, users = chamber
    start = timezone.now() + datetime.timedelta(days=5)
    data = {
        "kind": "briefing",
        "title_zh": "新版清单解读会",
        "starts_at": start,
        "duration_minutes": 90,
        "capacity": 20,
        "registration_deadline": start + datetime.timedelta(hours=1),
        "library_code": "no_such_course",
    }
    with pytest.raises(ValidationError) as error:
        services.event_create(organisation=_chamber.organisation, actor=users["manager"], data=data)
    assert set(error.value.message_dict) == {"place", "registration_deadline", "library_code"}
    data |= {
        "online_link": "https://meeting.example.test/123",
        "registration_deadline": start - datetime.timedelta(days=1),
        "library_code": "ec_basics",
    }
    event = services.event_create(
        organisation=_chamber.organisation, actor=users["manager"], data=data
    )
    assert event.organisation == _chamber.organisation
    with pytest.raises(PermissionDenied):
        services.event_create(organisation=_chamber.organisation, actor=users["staff"], data=data)
    with pytest.raises(ValidationError):  # a member organisation is no chamber
        services.event_create(
            organisation=world.organisation, actor=world.users["manager"], data=data
        )


def test_registration_keeps_to_the_places(chamber, world):
    event = _event(chamber, capacity=2)
    _register(event, world, "manager")
    _register(event, world, "staff")
    with pytest.raises(ValidationError, match="full"):
        _register(event, world, "auditor")
    with pytest.raises(ValidationError, match="already registered"):
        _register(event, world, "staff")
    # A cancelled place is free again; registering again reuses the row.
    registration = Registration.objects.get(event=event, user=world.users["staff"])
    services.event_registration_cancel(registration=registration, actor=world.users["staff"])
    _register(event, world, "auditor")
    with pytest.raises(ValidationError, match="full"):
        _register(event, world, "staff")
    assert Registration.objects.filter(event=event).count() == 3
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count() == 2
    )
    # The member's event log has each step.
    steps = [
        entry.details.get("outreach_registration")
        for entry in EventLogEntry.objects.filter(organisation=world.organisation)
    ]
    assert steps.count("registered") == 3 and steps.count("cancelled") == 1


def test_registration_closes_at_the_deadline_and_only_members_register(chamber, world):
    event = _event(chamber)
    type(event).objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    event.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        _register(event, world, "staff")
    open_event = _event(chamber)
    with pytest.raises(PermissionDenied):  # the other organisation is no member
        services.event_register(
            event=open_event,
            member=world.other_organisation,
            actor=world.users["outsider"],
        )
    with pytest.raises(PermissionDenied):  # a person of another organisation
        services.event_register(
            event=open_event, member=world.organisation, actor=world.users["outsider"]
        )
    membership = world.organisation.chamber_memberships.get()
    membership.status = "left"
    membership.save()
    with pytest.raises(PermissionDenied):  # a member that left
        _register(open_event, world, "staff")


def test_only_the_person_cancels_and_not_after_the_start(chamber, world):
    event = _event(chamber)
    registration = _register(event, world, "staff")
    with pytest.raises(PermissionDenied):
        services.event_registration_cancel(registration=registration, actor=world.users["manager"])
    _start(event)
    with pytest.raises(ValidationError, match="started"):
        services.event_registration_cancel(registration=registration, actor=world.users["staff"])


def test_attendance_after_the_start_gives_a_certificate_with_a_verification_code(chamber, world):
    _chamber, users = chamber
    event = _event(chamber)
    present = _register(event, world, "staff")
    absent = _register(event, world, "auditor")
    with pytest.raises(ValidationError, match="started"):
        services.event_attendance_record(
            event=event, actor=users["manager"], attended_ids=[present.pk]
        )
    _start(event)
    with pytest.raises(PermissionDenied):
        services.event_attendance_record(
            event=event, actor=users["staff"], attended_ids=[present.pk]
        )
    with pytest.raises(ValidationError):  # someone not registered
        services.event_attendance_record(
            event=event, actor=users["manager"], attended_ids=[present.pk + absent.pk + 99]
        )
    assert (
        services.event_attendance_record(
            event=event, actor=users["manager"], attended_ids=[present.pk]
        )
        == 1
    )
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.attended and len(present.verification_code) >= 16
    assert not absent.attended and absent.verification_code == ""
    # No library course: nothing goes into the member's training records.
    assert present.training_attendance is None
    pdf = services.event_certificate_pdf(registration=present, language="en")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Certificate of attendance" in text
    assert present.certificate_number in text and present.verification_code in text
    assert str(world.users["staff"].get_full_name()) in text
    assert event.title_en in text and str(_chamber.organisation.name_en) in text
    with pytest.raises(ValidationError):
        services.event_certificate_pdf(registration=absent, language="en")


def test_the_certificate_in_chinese(chamber, world):
    event = _start(_event(chamber))
    registration = _register_attended(chamber, world, event)
    pdf = services.event_certificate_pdf(registration=registration, language="zh-hans")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "参加证明" in text and event.title_zh in text and "测试进出口商会" in text


def _register_attended(chamber, world, event, persona="staff"):
    registration = Registration.objects.create(
        organisation=event.organisation,
        event=event,
        member=world.organisation,
        user=world.users[persona],
        registered_at=timezone.now(),
    )
    _chamber, users = chamber
    services.event_attendance_record(
        event=event,
        actor=users["manager"],
        attended_ids=[
            r.pk for r in event.registrations.filter(status=RegistrationStatus.REGISTERED)
        ],
    )
    registration.refresh_from_db()
    return registration


def test_attendance_of_a_library_course_is_a_training_record_of_the_member(chamber, world):
    _chamber, users = chamber
    event = _start(_event(chamber, library_code="ec_basics"))
    # The other member has not added the course: nothing is recorded for it.
    other_member = ChamberMembershipFactory(organisation=_chamber.organisation).member
    stranger = MembershipFactory(organisation=other_member, user=UserFactory()).user
    Registration.objects.create(
        organisation=event.organisation,
        event=event,
        member=other_member,
        user=stranger,
        registered_at=timezone.now(),
    )
    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="ec_basics"
    )
    first = _register_attended(chamber, world, event, "staff")
    second = _register_attended(chamber, world, event, "auditor")
    assert first.training_attendance is not None
    assert second.training_attendance.session == first.training_attendance.session
    session = first.training_attendance.session
    assert session.organisation == world.organisation and session.course == course
    assert session.trainer == _chamber.organisation.name_zh
    assert session.date == timezone.localtime(event.starts_at).date()
    assert TrainingSession.objects.filter(organisation=other_member).count() == 0
    # Attendance taken back: the training record goes with it.
    services.event_attendance_record(event=event, actor=users["manager"], attended_ids=[second.pk])
    first.refresh_from_db()
    assert first.training_attendance is None and not first.attended
    assert list(session.attendances.values_list("user", flat=True)) == [world.users["auditor"].pk]
    services.event_attendance_record(event=event, actor=users["manager"], attended_ids=[])
    # The session is a record kept for the retention period (REGS Art. 27); its attendances go.
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    assert not Attendance.objects.filter(organisation=world.organisation).exists()
    # Marked again: the same session, not a second one.
    services.event_attendance_record(event=event, actor=users["manager"], attended_ids=[first.pk])
    assert TrainingSession.objects.filter(organisation=world.organisation).count() == 1
    assert session.attendances.count() == 1
