"""A chamber edits and cancels an event: the registered people are told in their notification
centre, a cancelled event keeps its records and takes no registration or attendance, and the
certificates already issued stay verifiable. Attendance of a course with a quiz waits for the
quiz; both certificates share one layout."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from icp.models import Course
from icp.selectors.training import Status, training_for_member, training_matrix
from icp.services.training import attendance_certificate_pdf
from icp.services.training_library import course_adopt, course_library, quiz_submit
from outreach import selectors, services
from outreach.models import Event, Registration, RegistrationStatus
from records.models import EventLogEntry, Notification
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


def _register(event, world, persona):
    return services.event_register(
        event=event, member=world.organisation, actor=world.users[persona]
    )


def _data(event, **changes) -> dict:
    data = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    data["cases"] = list(event.cases.all())
    return data | changes


def _notices(world, persona):
    return list(
        Notification.objects.filter(
            organisation=world.organisation, user=world.users[persona], kind="outreach_event"
        )
    )


def _history(event) -> int:
    return Event.history.filter(id=event.pk).count()


def test_saved_unchanged_an_event_writes_nothing_and_a_new_title_notifies_no_one(chamber, world):
    _chamber, users = chamber
    event = _event(chamber)
    _register(event, world, "staff")
    histories, entries = _history(event), EventLogEntry.objects.count()
    services.event_update(event=event, actor=users["manager"], data=_data(event))
    assert _history(event) == histories and EventLogEntry.objects.count() == entries
    services.event_update(event=event, actor=users["manager"], data=_data(event, title_zh="新标题"))
    event.refresh_from_db()
    assert event.title_zh == "新标题" and event.rescheduled_at is None
    assert _history(event) == histories + 1
    assert not _notices(world, "staff")
    with pytest.raises(PermissionDenied):
        services.event_update(event=event, actor=users["staff"], data=_data(event, capacity=9))


def test_a_new_time_or_place_notifies_the_people_registered_once_per_change(chamber, world):
    _chamber, users = chamber
    event = _event(chamber, capacity=5)
    _register(event, world, "staff")
    _register(event, world, "auditor")
    later = event.starts_at + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:  # fewer places than people registered
        services.event_update(event=event, actor=users["manager"], data=_data(event, capacity=1))
    assert "capacity" in error.value.message_dict
    services.event_update(event=event, actor=users["manager"], data=_data(event, starts_at=later))
    event.refresh_from_db()
    assert event.rescheduled_at is not None
    for persona in ("staff", "auditor"):
        (notice,) = _notices(world, persona)
        assert event.title_zh in notice.title or event.title_en in notice.title
        assert notice.url == reverse("outreach:member_event_detail", args=[event.pk])
    assert not _notices(world, "manager")  # not registered
    # The member's event log records the change for each person registered.
    steps = [
        entry.details.get("outreach_registration")
        for entry in EventLogEntry.objects.filter(organisation=world.organisation)
    ]
    assert steps.count("event time or place changed") == 2
    # A second change, of the place: a second notification; the daily run adds none.
    services.event_update(
        event=event, actor=users["manager"], data=_data(event, place="线上会议室")
    )
    assert len(_notices(world, "staff")) == 2
    from records.services.reminders import reminders_notify

    assert reminders_notify(organisation=world.organisation) == 0
    # Someone registering after the change saw the new time: nothing to tell them.
    _register(event, world, "executive")
    reminders_notify(organisation=world.organisation)
    assert not _notices(world, "executive")


def test_a_cancelled_event_keeps_its_records_and_takes_nothing_new(chamber, world):
    _chamber, users = chamber
    event = _event(chamber)
    staff = _register(event, world, "staff")
    gone = _register(event, world, "auditor")
    services.event_registration_cancel(registration=gone, actor=world.users["auditor"])
    with pytest.raises(ValidationError) as error:
        services.event_cancel(event=event, actor=users["manager"], reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.event_cancel(event=event, actor=users["staff"], reason="讲师因故无法到场")
    services.event_cancel(event=event, actor=users["manager"], reason="讲师因故无法到场")
    event.refresh_from_db()
    assert event.is_cancelled and event.cancelled_by == users["manager"]
    assert event.cancellation_reason == "讲师因故无法到场"
    # The registrations stay, as they were.
    staff.refresh_from_db()
    assert staff.status == RegistrationStatus.REGISTERED
    assert Registration.objects.filter(event=event).count() == 2
    # Only the person still registered is told, with the reason.
    (notice,) = _notices(world, "staff")
    assert "讲师因故无法到场" in notice.title
    assert not _notices(world, "auditor")
    steps = [
        entry.details.get("outreach_registration")
        for entry in EventLogEntry.objects.filter(organisation=world.organisation)
    ]
    assert steps.count("event cancelled") == 1
    # Nothing new: no registration, no change, no attendance, no second cancellation.
    with pytest.raises(ValidationError, match="cancelled"):
        _register(event, world, "manager")
    with pytest.raises(ValidationError, match="cancelled"):
        services.event_registration_cancel(registration=staff, actor=world.users["staff"])
    with pytest.raises(ValidationError, match="cancelled"):
        services.event_update(event=event, actor=users["manager"], data=_data(event, capacity=9))
    with pytest.raises(ValidationError, match="cancelled"):
        services.event_cancel(event=event, actor=users["manager"], reason="再次取消")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1),
        registration_deadline=timezone.now() - datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError, match="cancelled"):
        services.event_attendance_record(
            event=event, actor=users["manager"], attended_ids=[staff.pk]
        )


def test_a_certificate_issued_before_the_cancellation_stays_verifiable(chamber, world):
    _chamber, users = chamber
    event = _event(chamber)
    registration = _register(event, world, "staff")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        registration_deadline=timezone.now() - datetime.timedelta(days=1),
    )
    event.refresh_from_db()
    services.event_attendance_record(
        event=event, actor=users["manager"], attended_ids=[registration.pk]
    )
    services.event_cancel(event=event, actor=users["manager"], reason="后续课程取消")
    registration.refresh_from_db()
    assert selectors.registration_verify(code=registration.verification_code) == registration
    pdf = services.event_certificate_pdf(registration=registration, language="en")
    assert "Certificate of attendance" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_pages_of_a_cancelled_event(chamber, world):
    _chamber, users = chamber
    event = _event(chamber)
    _register(event, world, "staff")
    client = world.client("staff")
    page = client.get(reverse("outreach:member_event_detail", args=[event.pk])).content.decode()
    assert 'data-testid="cancel-registration"' in page
    services.event_cancel(event=event, actor=users["manager"], reason="场地临时无法使用")
    page = client.get(reverse("outreach:member_event_detail", args=[event.pk])).content.decode()
    assert 'data-testid="event-cancelled"' in page and "场地临时无法使用" in page
    assert 'data-testid="cancel-registration"' not in page and 'data-testid="register"' not in page
    # The chamber's edit and cancel pages send back to the event, which says it is cancelled.
    from django.test import Client

    chamber_client = Client()
    chamber_client.force_login(users["manager"])
    for name in ("outreach:event_update", "outreach:event_cancel"):
        response = chamber_client.get(reverse(name, args=[event.pk]))
        assert response.status_code == 302 and response.url == event.get_absolute_url()
    page = chamber_client.get(event.get_absolute_url()).content.decode()
    assert 'data-testid="event-cancelled"' in page and 'data-testid="event-edit"' not in page


# --- attendance of a course with a quiz -------------------------------------------------------


def _attend(chamber, world, event, persona="staff"):
    _chamber, users = chamber
    registration = _register(event, world, persona)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1),
        registration_deadline=timezone.now() - datetime.timedelta(days=2),
    )
    event.refresh_from_db()
    services.event_attendance_record(
        event=event, actor=users["manager"], attended_ids=[registration.pk]
    )
    registration.refresh_from_db()
    return registration


def _cell(world, persona, course):
    from accounts.models import Membership

    membership = Membership.objects.get(organisation=world.organisation, user=world.users[persona])
    row = training_for_member(organisation=world.organisation, membership=membership)
    return next(cell for cell in row.cells if cell.course == course)


def _right_answers(code):
    return {q.code: q.answer for q in course_library().get(code).questions}


def test_attending_a_course_with_a_quiz_waits_for_the_quiz(chamber, world):
    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="ec_basics"
    )
    assert course.pass_mark is not None
    before = _cell(world, "staff", course)
    assert before.status == Status.NEVER
    registration = _attend(chamber, world, _event(chamber, library_code="ec_basics"))
    assert registration.training_attendance is not None
    cell = _cell(world, "staff", course)
    assert cell.status == Status.QUIZ_TO_PASS and cell.attended_on is not None
    assert cell.attendance_id is None and not cell.is_valid
    # The compliance manager sees it in the matrix and the overdue list.
    matrix = training_matrix(organisation=world.organisation)
    (staff_row,) = [row for row in matrix.rows if row.user == world.users["staff"]]
    assert [c.status for c in staff_row.cells if c.course == course] == [Status.QUIZ_TO_PASS]
    # Both see the status on their pages.
    page = world.client("staff").get(reverse("icp:training_mine")).content.decode()
    assert "Attended — quiz to pass" in page or "已参加培训，待通过测验" in page
    page = world.client("manager").get(reverse("icp:training_matrix")).content.decode()
    assert "Attended — quiz to pass" in page or "已参加培训，待通过测验" in page
    # The quiz passed: completed, with the course's certificate.
    quiz_submit(
        organisation=world.organisation,
        user=world.users["staff"],
        course=course,
        answers=_right_answers("ec_basics"),
    )
    cell = _cell(world, "staff", course)
    assert cell.status == Status.CURRENT and cell.attended_on is None
    attendance = course.sessions.get(is_self_study=True).attendances.get()
    assert cell.attendance_id == attendance.pk
    pdf = attendance_certificate_pdf(attendance=attendance, language="en")
    assert "Certificate of completion" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_attending_a_course_without_a_quiz_completes_it(chamber, world):
    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="ec_basics"
    )
    Course.objects.filter(pk=course.pk).update(pass_mark=None)
    registration = _attend(chamber, world, _event(chamber, library_code="ec_basics"))
    cell = _cell(world, "staff", course)
    assert cell.status == Status.CURRENT
    assert cell.attendance_id == registration.training_attendance_id


# --- one certificate layout --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "completion", "attendance_title"),
    [
        ("en", "Certificate of completion", "Certificate of attendance"),
        ("zh-hans", "结业", "参加证明"),
    ],
)
def test_both_certificates_on_the_shared_layout(
    chamber, world, language, completion, attendance_title
):
    course = course_adopt(
        organisation=world.organisation, user=world.users["manager"], code="ec_basics"
    )
    Course.objects.filter(pk=course.pk).update(pass_mark=None)
    registration = _attend(chamber, world, _event(chamber, library_code="ec_basics"))
    training = PdfReader(
        io.BytesIO(
            attendance_certificate_pdf(
                attendance=registration.training_attendance, language=language
            )
        )
    )
    event = PdfReader(
        io.BytesIO(services.event_certificate_pdf(registration=registration, language=language))
    )
    assert len(training.pages) == 1 and len(event.pages) == 1
    training_text, event_text = training.pages[0].extract_text(), event.pages[0].extract_text()
    certifies = "This certifies that" if language == "en" else "兹证明"
    # The shared layout's sentence, then each certificate's own content.
    assert certifies in training_text and certifies in event_text
    assert completion in training_text and attendance_title in event_text
    name = world.users["staff"].get_full_name()
    assert name in training_text and name in event_text
    assert registration.certificate_number in event_text
    assert f"{world.organisation.slug.upper()}-T" in training_text
