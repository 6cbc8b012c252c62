"""A session attended of a course with a quiz: "attended — quiz to pass" until the quiz is
passed, for the person and the compliance manager alike."""

import datetime

import pytest

from icp.selectors.training import Status, training_matrix, training_overdue
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.icp.factories_training import AttendanceFactory, CourseFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


def _cell(world, user, course):
    matrix = training_matrix(organisation=world.organisation, today=TODAY)
    (row,) = [row for row in matrix.rows if row.user == user]
    return next(cell for cell in row.cells if cell.course == course), matrix


def test_attended_without_a_score_waits_for_the_quiz_then_completes(world):
    user = MembershipFactory(organisation=world.organisation, user=UserFactory()).user
    course = CourseFactory(organisation=world.organisation, pass_mark=70, refresher_months=12)
    # Completed long ago (overdue), then attended a refresher with no quiz score yet.
    old = TrainingSessionFactory(course=course, date=datetime.date(2024, 3, 1))
    AttendanceFactory(session=old, user=user, quiz_score=90)
    refresher = TrainingSessionFactory(course=course, date=datetime.date(2026, 11, 20))
    attendance = AttendanceFactory(session=refresher, user=user, quiz_score=None)
    cell, matrix = _cell(world, user, course)
    assert cell.status == Status.QUIZ_TO_PASS and cell.attended_on == refresher.date
    assert cell.completed_on == old.date and not cell.is_valid
    assert str(cell.label) == "Attended — quiz to pass"
    assert (user, course) in [(i.row.user, i.cell.course) for i in training_overdue(matrix=matrix)]
    # A failed score is no pass either, but no longer waiting: the refresher is overdue.
    attendance.quiz_score = 50
    attendance.save()
    cell, _matrix = _cell(world, user, course)
    assert cell.status == Status.OVERDUE and cell.attended_on is None
    # Passed: completed on the refresher's date.
    attendance.quiz_score = 80
    attendance.save()
    cell, _matrix = _cell(world, user, course)
    assert cell.status == Status.CURRENT and cell.completed_on == refresher.date
    assert cell.attendance_id == attendance.pk and cell.attended_on is None


def test_without_a_quiz_attendance_completes_the_course(world):
    user = MembershipFactory(organisation=world.organisation, user=UserFactory()).user
    course = CourseFactory(organisation=world.organisation, pass_mark=None)
    session = TrainingSessionFactory(course=course, date=datetime.date(2026, 11, 20))
    AttendanceFactory(session=session, user=user, quiz_score=None)
    cell, _matrix = _cell(world, user, course)
    assert cell.status == Status.CURRENT and cell.attended_on is None


def test_the_person_is_reminded_to_pass_the_quiz_once_per_session_attended(world):
    from records.models import Notification
    from records.services.reminders import reminders_run

    user = MembershipFactory(organisation=world.organisation, user=UserFactory()).user
    course = CourseFactory(
        organisation=world.organisation,
        pass_mark=70,
        refresher_months=12,
        topic_en="Licensing",
        topic_zh="许可证培训",
    )
    session = TrainingSessionFactory(course=course, date=datetime.date(2026, 11, 20))
    attendance = AttendanceFactory(session=session, user=user, quiz_score=None)
    reminders_run(today=TODAY)
    reminders_run(today=TODAY + datetime.timedelta(days=1))  # nothing twice
    (notice,) = Notification.objects.filter(user=user, kind="training")
    # In the member's language (the e-mail language of their preferences).
    assert ("pass its quiz" in notice.title and "Licensing" in notice.title) or (
        "测验" in notice.title and "许可证培训" in notice.title
    )
    # Passed: no reminder of any kind for the course (it is current).
    attendance.quiz_score = 80
    attendance.save()
    reminders_run(today=TODAY + datetime.timedelta(days=2))
    assert Notification.objects.filter(user=user, kind="training").count() == 1
