"""E6 reads: who must take which course, when each person last completed it, when it is due.

Status is computed from dates on every read; nothing stored can go stale. The matrix reads
members, profiles, courses and completed attendances in four queries, whatever the number of
members and courses, and does the rest in Python.
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from icp.models import (
    Attendance,
    Course,
    QuizAttempt,
    TrainingFunction,
    TrainingProfile,
    TrainingSession,
)
from icp.models.training import DEFAULT_FUNCTION_BY_ROLE

DUE_SOON_DAYS = 30


class Status:
    CURRENT = "current"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NEVER = "never"
    NOT_REQUIRED = "not_required"
    # Attended a session of a course with a quiz, no quiz score yet: not completed.
    QUIZ_TO_PASS = "quiz_to_pass"

    LABELS = {
        CURRENT: _("Current"),
        DUE_SOON: _("Due soon"),
        OVERDUE: _("Overdue"),
        NEVER: _("Never completed"),
        NOT_REQUIRED: _("Not required"),
        QUIZ_TO_PASS: _("Attended — quiz to pass"),
    }
    # A member is current on a course while the training is valid, including in its last month.
    VALID = frozenset({CURRENT, DUE_SOON})
    # What the overdue list shows: lapsed, or required but never taken, or attended without
    # passing the quiz yet.
    MISSING = frozenset({OVERDUE, NEVER, QUIZ_TO_PASS})


def due_date(*, completed_on: datetime.date, refresher_months: int | None) -> datetime.date | None:
    if refresher_months is None:
        return None
    return completed_on + relativedelta(months=refresher_months)


def training_status(
    *,
    required: bool,
    completed_on: datetime.date | None,
    refresher_months: int | None,
    today: datetime.date,
) -> tuple[str, datetime.date | None]:
    """(status, due date) of one person on one course."""
    if completed_on is None:
        return (Status.NEVER if required else Status.NOT_REQUIRED), None
    due = due_date(completed_on=completed_on, refresher_months=refresher_months)
    if not required:
        return Status.NOT_REQUIRED, due
    if due is None or due > today + datetime.timedelta(days=DUE_SOON_DAYS):
        return Status.CURRENT, due
    if due >= today:
        return Status.DUE_SOON, due
    return Status.OVERDUE, due


@dataclass
class Cell:
    course: Course
    required: bool
    status: str
    completed_on: datetime.date | None = None
    due: datetime.date | None = None
    attendance_id: int | None = None
    # The session attended after the last completion, its quiz not passed yet.
    attended_on: datetime.date | None = None

    @property
    def label(self):
        return Status.LABELS[self.status]

    @property
    def is_valid(self) -> bool:
        return self.status in Status.VALID

    @property
    def is_missing(self) -> bool:
        return self.status in Status.MISSING


@dataclass
class Row:
    membership: Membership
    function: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def user(self):
        return self.membership.user

    @property
    def function_label(self):
        return TrainingFunction(self.function).label

    @property
    def is_current(self) -> bool:
        """Current on every course required of this person."""
        return all(cell.is_valid for cell in self.cells if cell.required)

    @property
    def missing(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.is_missing]


@dataclass
class Matrix:
    courses: list[Course]
    rows: list[Row]
    today: datetime.date


def _functions(organisation, memberships) -> dict[int, str]:
    recorded = dict(
        TrainingProfile.objects.for_organisation(organisation).values_list("user_id", "function")
    )
    return {
        membership.user_id: recorded.get(membership.user_id)
        or DEFAULT_FUNCTION_BY_ROLE.get(membership.role, TrainingFunction.OTHER)
        for membership in memberships
    }


@dataclass
class Completions:
    """(user id, course id) -> (date, attendance id) of the latest completed attendance, and ->
    date of the latest attendance whose quiz is still to pass."""

    latest: dict[tuple[int, int], tuple] = field(default_factory=dict)
    quiz_to_pass: dict[tuple[int, int], datetime.date] = field(default_factory=dict)

    def get(self, key):
        return self.latest.get(key)

    def attended_after(self, key) -> datetime.date | None:
        """The latest attendance still waiting for its quiz, when later than the completion."""
        attended = self.quiz_to_pass.get(key)
        completed = self.latest.get(key)
        if attended is None or (completed is not None and completed[0] >= attended):
            return None
        return attended


def _completions(organisation, *, user_ids=None) -> Completions:
    """The latest completions and attendances waiting for their quiz, from one query. A
    completion is an attendance on a course without quiz, or with a passing score."""
    attendances = Attendance.objects.for_organisation(organisation)
    if user_ids is not None:
        attendances = attendances.filter(user_id__in=user_ids)
    result = Completions()
    for user_id, course_id, date, score, pass_mark, attendance_id in attendances.values_list(
        "user_id",
        "session__course_id",
        "session__date",
        "quiz_score",
        "session__course__pass_mark",
        "pk",
    ):
        key = (user_id, course_id)
        if pass_mark is not None and (score is None or score < pass_mark):
            # Attended, no score yet: the quiz is still to pass. A failed score counts for
            # nothing (the person takes the quiz again).
            if score is None and (
                key not in result.quiz_to_pass or date > result.quiz_to_pass[key]
            ):
                result.quiz_to_pass[key] = date
            continue
        if key not in result.latest or date > result.latest[key][0]:
            result.latest[key] = (date, attendance_id)
    return result


def _row(membership, function, courses, completions, today) -> Row:
    row = Row(membership=membership, function=function)
    for course in courses:
        key = (membership.user_id, course.pk)
        completed = completions.get(key)
        attended = completions.attended_after(key)
        required = course.targets(function)
        status, due = training_status(
            required=required,
            completed_on=completed[0] if completed else None,
            refresher_months=course.refresher_months,
            today=today,
        )
        if attended is not None and required and status not in Status.VALID:
            # Attended, but the course counts only once its quiz is passed.
            status = Status.QUIZ_TO_PASS
        row.cells.append(
            Cell(
                course=course,
                required=required,
                status=status,
                completed_on=completed[0] if completed else None,
                due=due,
                attendance_id=completed[1] if completed else None,
                attended_on=attended,
            )
        )
    return row


def active_courses(*, organisation) -> list[Course]:
    return list(Course.objects.for_organisation(organisation).filter(is_active=True))


def training_matrix(*, organisation, today: datetime.date | None = None) -> Matrix:
    """Members x courses in use, each cell with last completion, due date and status."""
    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    functions = _functions(organisation, memberships)
    courses = active_courses(organisation=organisation)
    completions = _completions(organisation)
    rows = [
        _row(membership, functions[membership.user_id], courses, completions, today)
        for membership in memberships
    ]
    return Matrix(courses=courses, rows=rows, today=today)


@dataclass
class OverdueItem:
    row: Row
    cell: Cell


def training_overdue(*, matrix: Matrix) -> list[OverdueItem]:
    """Required courses that lapsed or were never taken, the longest overdue first."""
    items = [OverdueItem(row=row, cell=cell) for row in matrix.rows for cell in row.missing]
    return sorted(
        items,
        key=lambda item: (
            item.cell.due or datetime.date.min,
            str(item.row.user),
            item.cell.course.topic_zh,
        ),
    )


@dataclass
class Coverage:
    function: str
    members: int
    current: int
    courses: list[Course]

    @property
    def label(self):
        return TrainingFunction(self.function).label

    @property
    def percent(self) -> int | None:
        """Share of the function's members current on every course aimed at them; None when
        no course is aimed at the function."""
        if not self.courses or not self.members:
            return None
        return round(100 * self.current / self.members)


def training_coverage(*, matrix: Matrix) -> list[Coverage]:
    """Per training function present in the organisation."""
    by_function: dict[str, list[Row]] = {}
    for row in matrix.rows:
        by_function.setdefault(row.function, []).append(row)
    return [
        Coverage(
            function=function,
            members=len(rows),
            current=sum(1 for row in rows if row.is_current),
            courses=[course for course in matrix.courses if course.targets(function)],
        )
        for function, rows in sorted(
            by_function.items(), key=lambda item: TrainingFunction.values.index(item[0])
        )
    ]


def training_for_member(*, organisation, membership, today: datetime.date | None = None) -> Row:
    """One person's required and taken courses (what staff see of training)."""
    today = today or timezone.localdate()
    function = _functions(organisation, [membership])[membership.user_id]
    courses = active_courses(organisation=organisation)
    completions = _completions(organisation, user_ids=[membership.user_id])
    row = _row(membership, function, courses, completions, today)
    row.cells = [
        cell for cell in row.cells if cell.required or cell.completed_on or cell.attended_on
    ]
    return row


def attendances_of(*, organisation, user) -> QuerySet[Attendance]:
    return (
        Attendance.objects.for_organisation(organisation)
        .filter(user=user)
        .select_related("session__course")
        .order_by("-session__date")
    )


def course_list(*, organisation) -> QuerySet[Course]:
    return (
        Course.objects.for_organisation(organisation)
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("topic_zh")
    )


def session_list(*, organisation) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.for_organisation(organisation)
        .select_related("course")
        .annotate(attendee_count=Count("attendances"))
        .order_by("-date", "-pk")
    )


def session_attendances(*, session: TrainingSession) -> QuerySet[Attendance]:
    return session.attendances.select_related("user", "session__course").order_by(
        "user__full_name", "user__email"
    )


def course_sessions(*, course: Course) -> QuerySet[TrainingSession]:
    return course.sessions.annotate(attendee_count=Count("attendances")).order_by("-date")


def attendance_get(*, organisation, pk: int, user=None) -> Attendance:
    """An attendance of the organisation; with `user`, only that person's own."""
    attendances = Attendance.objects.for_organisation(organisation).select_related(
        "session__course", "user", "organisation"
    )
    if user is not None:
        attendances = attendances.filter(user=user)
    return get_object_or_404(attendances, pk=pk)


def course_library_status(*, organisation) -> dict[str, Course]:
    """Library code -> the organisation's course added from it."""
    return {
        course.library_code: course
        for course in Course.objects.for_organisation(organisation).exclude(library_code="")
    }


def quiz_attempts(*, organisation, course: Course | None = None, user=None):
    """Quiz attempts, newest first; of one course and/or one member."""
    attempts = QuizAttempt.objects.for_organisation(organisation).select_related("course", "user")
    if course is not None:
        attempts = attempts.filter(course=course)
    if user is not None:
        attempts = attempts.filter(user=user)
    return attempts.order_by("-created_at", "-pk")


def quiz_attempt_get(*, organisation, pk: int, user=None):
    """A quiz attempt of the organisation; with `user`, only that member's own."""
    return get_object_or_404(quiz_attempts(organisation=organisation, user=user), pk=pk)


def course_get(*, organisation, pk: int) -> Course:
    return get_object_or_404(Course.objects.for_organisation(organisation), pk=pk)


def session_get(*, organisation, pk: int) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.for_organisation(organisation).select_related("course"), pk=pk
    )
