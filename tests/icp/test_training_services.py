import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from icp.models import Attendance, TrainingProfile
from icp.selectors.training import (
    Status,
    due_date,
    training_coverage,
    training_for_member,
    training_matrix,
    training_overdue,
    training_status,
)
from icp.services import training as services
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.icp.factories_training import AttendanceFactory, CourseFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


def test_due_date_adds_the_refresher_interval_in_calendar_months():
    assert due_date(completed_on=datetime.date(2026, 1, 31), refresher_months=1) == datetime.date(
        2026, 2, 28
    )
    assert due_date(completed_on=datetime.date(2025, 3, 10), refresher_months=12) == (
        datetime.date(2026, 3, 10)
    )
    assert due_date(completed_on=datetime.date(2025, 3, 10), refresher_months=None) is None


@pytest.mark.parametrize(
    ("completed_on", "months", "required", "expected"),
    [
        (None, 12, True, Status.NEVER),
        (None, 12, False, Status.NOT_REQUIRED),
        (datetime.date(2026, 1, 1), 12, True, Status.CURRENT),
        (datetime.date(2025, 12, 20), 12, True, Status.DUE_SOON),  # due 2026-12-20
        (datetime.date(2025, 11, 28), 12, True, Status.DUE_SOON),  # due today
        (datetime.date(2025, 11, 27), 12, True, Status.OVERDUE),  # due yesterday
        (datetime.date(2019, 1, 1), None, True, Status.CURRENT),  # taken once
        (datetime.date(2020, 1, 1), 12, False, Status.NOT_REQUIRED),
    ],
)
def test_status_is_computed_from_dates(completed_on, months, required, expected):
    status, _due = training_status(
        required=required, completed_on=completed_on, refresher_months=months, today=TODAY
    )
    assert status == expected


def _member(organisation, role=Role.STAFF, function=None, name=""):
    membership = MembershipFactory(
        organisation=organisation, role=role, user=UserFactory(full_name=name)
    )
    if function:
        TrainingProfile.objects.create(
            organisation=organisation, user=membership.user, function=function
        )
    return membership


def test_matrix_uses_the_latest_passing_attendance_and_targets_by_function(organisation):
    sales = _member(organisation, function="sales", name="销售甲")
    engineer = _member(organisation, function="engineering", name="工程师乙")
    basics = CourseFactory(organisation=organisation, topic_zh="出口管制法规基础", pass_mark=60)
    red_flags = CourseFactory(
        organisation=organisation, topic_zh="红旗信号识别", audience=["sales"]
    )
    old = TrainingSessionFactory(course=basics, date=datetime.date(2024, 10, 1))
    new = TrainingSessionFactory(course=basics, date=datetime.date(2025, 12, 1))
    AttendanceFactory(session=old, user=sales.user, quiz_score=90)
    AttendanceFactory(session=new, user=sales.user, quiz_score=40)  # failed: does not count
    AttendanceFactory(session=new, user=engineer.user, quiz_score=75)

    matrix = training_matrix(organisation=organisation, today=TODAY)

    rows = {row.user: row for row in matrix.rows}
    sales_basics, sales_flags = rows[sales.user].cells
    assert sales_basics.completed_on == datetime.date(2024, 10, 1)
    assert sales_basics.due == datetime.date(2025, 10, 1)
    assert sales_basics.status == Status.OVERDUE
    assert sales_flags.required and sales_flags.status == Status.NEVER
    engineer_basics, engineer_flags = rows[engineer.user].cells
    assert engineer_basics.status == Status.DUE_SOON  # due 2026-12-01
    assert not engineer_flags.required and engineer_flags.status == Status.NOT_REQUIRED
    assert rows[engineer.user].is_current and not rows[sales.user].is_current

    overdue = training_overdue(matrix=matrix)
    assert [(item.row.user, item.cell.course) for item in overdue] == [
        (sales.user, red_flags),  # never taken sorts first
        (sales.user, basics),
    ]


def test_function_defaults_from_the_workbench_role(organisation):
    manager = _member(organisation, role=Role.COMPLIANCE_MANAGER)
    staff = _member(organisation)
    matrix = training_matrix(organisation=organisation, today=TODAY)
    functions = {row.user: row.function for row in matrix.rows}
    assert functions == {manager.user: "compliance", staff.user: "other"}


def test_coverage_per_function(organisation):
    sales = [_member(organisation, function="sales") for _ in range(4)]
    _member(organisation, function="purchasing")
    course = CourseFactory(organisation=organisation, audience=["sales"])
    session = TrainingSessionFactory(course=course, date=datetime.date(2026, 6, 1))
    for membership in sales[:3]:
        AttendanceFactory(session=session, user=membership.user)

    coverage = {
        item.function: item
        for item in training_coverage(
            matrix=training_matrix(organisation=organisation, today=TODAY)
        )
    }

    assert (coverage["sales"].members, coverage["sales"].current) == (4, 3)
    assert coverage["sales"].percent == 75
    assert coverage["sales"].courses == [course]
    assert coverage["purchasing"].percent is None  # no course targets purchasing


def test_retired_courses_are_no_longer_required(organisation):
    membership = _member(organisation)
    CourseFactory(organisation=organisation, is_active=False)
    row = training_matrix(organisation=organisation, today=TODAY).rows[0]
    assert row.user == membership.user and row.cells == [] and row.is_current


def test_member_view_lists_required_and_taken_courses_only(organisation):
    membership = _member(organisation, function="logistics")
    required = CourseFactory(organisation=organisation)
    taken = CourseFactory(organisation=organisation, audience=["sales"])
    CourseFactory(organisation=organisation, audience=["engineering"])
    AttendanceFactory(session=TrainingSessionFactory(course=taken), user=membership.user)
    row = training_for_member(organisation=organisation, membership=membership, today=TODAY)
    assert [cell.course for cell in row.cells] == sorted(
        [required, taken], key=lambda course: course.topic_zh
    )


def test_session_attendees_are_kept_in_sync_with_history(world, manager):
    staff = world.users["staff"]
    auditor = world.users["auditor"]
    course = services.course_create(
        organisation=world.organisation,
        user=manager,
        topic_zh="物项分类",
        topic_en="Item classification",
        audience=["engineering", "all"],
        duration_minutes=120,
        refresher_months=24,
        pass_mark=70,
    )
    assert course.audience == ["all"]  # "all staff" already includes every function
    session = services.training_session_create(
        organisation=world.organisation,
        user=manager,
        course=course,
        date=datetime.date(2026, 5, 6),
        trainer="张工",
        attendees=[staff, auditor],
    )
    assert set(session.attendances.values_list("user", flat=True)) == {staff.pk, auditor.pk}
    services.training_session_update(session=session, user=manager, attendees=[staff])
    assert list(session.attendances.values_list("user", flat=True)) == [staff.pk]
    assert Attendance.history.filter(history_type="-", user=auditor).exists()


def test_attendees_must_be_members(world, manager):
    course = CourseFactory(organisation=world.organisation)
    with pytest.raises(ValidationError, match="member of this organisation"):
        services.training_session_create(
            organisation=world.organisation,
            user=manager,
            course=course,
            date=datetime.date(2026, 5, 6),
            trainer="x",
            attendees=[world.users["outsider"]],
        )


def test_quiz_scores_are_recorded_and_decide_completion(world, manager):
    course = CourseFactory(organisation=world.organisation, pass_mark=80)
    session = TrainingSessionFactory(course=course)
    attendance = AttendanceFactory(session=session, user=world.users["staff"])
    assert not attendance.is_completed
    assert (
        services.attendance_scores_record(session=session, user=manager, scores={attendance.pk: 79})
        == 1
    )
    attendance.refresh_from_db()
    assert not attendance.is_completed
    services.attendance_scores_record(session=session, user=manager, scores={attendance.pk: 80})
    attendance.refresh_from_db()
    assert attendance.is_completed
    assert (
        services.attendance_scores_record(session=session, user=manager, scores={attendance.pk: 80})
        == 0
    )
    with pytest.raises(ValidationError, match="between 0 and 100"):
        services.attendance_scores_record(
            session=session, user=manager, scores={attendance.pk: 101}
        )


def test_no_scores_for_a_course_without_quiz(world, manager):
    session = TrainingSessionFactory(course=CourseFactory(organisation=world.organisation))
    attendance = AttendanceFactory(session=session, user=world.users["staff"])
    assert attendance.is_completed
    with pytest.raises(ValidationError, match="no quiz"):
        services.attendance_scores_record(session=session, user=manager, scores={attendance.pk: 90})


def test_course_needs_an_audience(world, manager):
    with pytest.raises(ValidationError, match="Choose who must take"):
        services.course_create(
            organisation=world.organisation,
            user=manager,
            topic_zh="x",
            audience=[],
            duration_minutes=30,
        )


def test_training_function_is_set_once_and_changed_in_place(world, manager):
    staff = world.users["staff"]
    services.training_profile_set(
        organisation=world.organisation, user=manager, member=staff, function="sales"
    )
    profile = services.training_profile_set(
        organisation=world.organisation, user=manager, member=staff, function="logistics"
    )
    assert profile.function == "logistics"
    assert TrainingProfile.objects.filter(user=staff).count() == 1
    with pytest.raises(ValidationError):
        services.training_profile_set(
            organisation=world.organisation,
            user=manager,
            member=world.users["outsider"],
            function="sales",
        )


def test_matrix_reads_in_a_fixed_number_of_queries(organisation, django_assert_max_num_queries):
    members = [_member(organisation, function="sales") for _ in range(200)]
    courses = [CourseFactory(organisation=organisation) for _ in range(5)]
    for course in courses:
        session = TrainingSessionFactory(course=course, date=datetime.date(2026, 2, 1))
        Attendance.objects.bulk_create(
            Attendance(organisation=organisation, session=session, user=m.user) for m in members
        )
    with django_assert_max_num_queries(4):
        matrix = training_matrix(organisation=organisation, today=TODAY)
        coverage = training_coverage(matrix=matrix)
        overdue = training_overdue(matrix=matrix)
    assert len(matrix.rows) == 200 and len(matrix.rows[0].cells) == 5
    assert coverage[0].percent == 100 and overdue == []
