"""E6 course library: the courses that come with the workbench (material pages and a quiz, in
Chinese and English), adding one to an organisation's courses, and marking a member's quiz.

The library is data (icp/training_library/courses.yaml), read once per process. A course added
from it keeps the library code; its material and quiz are read from the library at the time, and
each attempt stores the questions and answers it was marked on.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import require_role
from core.i18n import current_language_suffix, localised
from icp.models import ALL_STAFF, Attendance, Course, QuizAttempt, TrainingSession
from icp.models.training import AUDIENCE_CHOICES

LIBRARY_FILE = Path(__file__).resolve().parent.parent / "training_library" / "courses.yaml"


@dataclass(frozen=True)
class Section:
    title_zh: str
    title_en: str
    body_zh: tuple[str, ...]
    body_en: tuple[str, ...]
    basis_zh: tuple[str, ...]
    basis_en: tuple[str, ...]

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def body(self) -> tuple[str, ...]:
        return self.body_en if current_language_suffix() == "en" else self.body_zh

    @property
    def basis(self) -> tuple[str, ...]:
        return self.basis_en if current_language_suffix() == "en" else self.basis_zh


@dataclass(frozen=True)
class Question:
    code: str
    text_zh: str
    text_en: str
    options_zh: tuple[str, ...]
    options_en: tuple[str, ...]
    answer: int
    basis_zh: str
    basis_en: str

    @property
    def text(self) -> str:
        return localised(self, "text")

    @property
    def options(self) -> tuple[str, ...]:
        return self.options_en if current_language_suffix() == "en" else self.options_zh

    @property
    def basis(self) -> str:
        return localised(self, "basis")


@dataclass(frozen=True)
class LibraryCourse:
    code: str
    topic_zh: str
    topic_en: str
    summary_zh: str
    summary_en: str
    audience: tuple[str, ...]
    duration_minutes: int
    refresher_months: int | None
    pass_mark: int
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]

    @property
    def topic(self) -> str:
        return localised(self, "topic")

    @property
    def summary(self) -> str:
        return localised(self, "summary")

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(AUDIENCE_CHOICES)
        return [str(labels[value]) for value in self.audience]


@dataclass(frozen=True)
class Library:
    version: str
    courses: tuple[LibraryCourse, ...]

    def get(self, code: str) -> LibraryCourse | None:
        return next((course for course in self.courses if course.code == code), None)


def course_from_data(data: dict) -> LibraryCourse:
    """A course (material and quiz) from data in the shape of the library file; ValueError
    naming every problem when it does not hold together. Used for courses shared by the apps
    above (a chamber's course) as well as for the library file."""
    return _course(data)


def _course(data: dict) -> LibraryCourse:
    sections = tuple(
        Section(
            title_zh=s["title_zh"],
            title_en=s["title_en"],
            body_zh=tuple(s["body_zh"]),
            body_en=tuple(s["body_en"]),
            basis_zh=tuple(s["basis_zh"]),
            basis_en=tuple(s["basis_en"]),
        )
        for s in data["sections"]
    )
    questions = tuple(
        Question(
            code=q["code"],
            text_zh=q["text_zh"],
            text_en=q["text_en"],
            options_zh=tuple(q["options_zh"]),
            options_en=tuple(q["options_en"]),
            answer=q["answer"],
            basis_zh=q["basis_zh"],
            basis_en=q["basis_en"],
        )
        for q in data["questions"]
    )
    allowed = {value for value, _label in AUDIENCE_CHOICES}
    course = LibraryCourse(
        code=data["code"],
        topic_zh=data["topic_zh"],
        topic_en=data["topic_en"],
        summary_zh=data["summary_zh"],
        summary_en=data["summary_en"],
        audience=tuple(data["audience"]),
        duration_minutes=data["duration_minutes"],
        refresher_months=data.get("refresher_months"),
        pass_mark=data["pass_mark"],
        sections=sections,
        questions=questions,
    )
    problems = [value for value in course.audience if value not in allowed]
    for question in questions:
        if len(question.options_zh) != len(question.options_en):
            problems.append(f"{course.code}.{question.code}: options differ between languages")
        if not 0 <= question.answer < len(question.options_zh):
            problems.append(f"{course.code}.{question.code}: answer out of range")
    if len({q.code for q in questions}) != len(questions):
        problems.append(f"{course.code}: question codes repeat")
    if problems:
        raise ValueError(f"course library: {'; '.join(problems)}")
    return course


@lru_cache(maxsize=1)
def course_library() -> Library:
    data = yaml.safe_load(LIBRARY_FILE.read_text(encoding="utf-8"))
    return Library(
        version=str(data["meta"]["version"]),
        courses=tuple(_course(course) for course in data["courses"]),
    )


# Courses shared from outside the library file, by the apps above (icp does not import them):
# a source is registered with a prefix of the library code ("chamber:") and returns the course
# for a code, or None. Shared courses do not change once shared, so an attempt's marking and
# the material stay what they were.
SharedCourseSource = Callable[[str], LibraryCourse | None]
_SHARED_SOURCES: dict[str, SharedCourseSource] = {}


def shared_course_source_register(prefix: str, source: SharedCourseSource) -> SharedCourseSource:
    """Register where the courses whose library code starts with `prefix` are read."""
    _SHARED_SOURCES[prefix] = source
    return source


def _entry_for_code(code: str) -> LibraryCourse | None:
    for prefix, source in _SHARED_SOURCES.items():
        if code.startswith(prefix):
            return source(code)
    return course_library().get(code)


def library_course_of(course: Course) -> LibraryCourse | None:
    """The library entry a course was added from (None for the organisation's own courses)."""
    return _entry_for_code(course.library_code) if course.library_code else None


def _library_version(course: Course) -> str:
    """What an attempt was marked against: the library's version, or the shared course's own
    code (a shared course does not change)."""
    if any(course.library_code.startswith(prefix) for prefix in _SHARED_SOURCES):
        return course.library_code
    return course_library().version


@transaction.atomic
def course_adopt(*, organisation, user, code: str) -> Course:
    """Add a library course to the organisation's courses (a compliance manager's decision)."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=user)
    entry = course_library().get(code)
    if entry is None:
        raise ValidationError(_("This course is not in the course library."))
    return _course_add(organisation, entry, code)


@transaction.atomic
def shared_course_adopt(*, organisation, user, code: str) -> Course:
    """Add a course shared with the organisation (e.g. by its chamber, which checked that the
    organisation may have it) to its courses: a compliance manager's decision."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=user)
    entry = _entry_for_code(code) if code.startswith(tuple(_SHARED_SOURCES)) else None
    if entry is None:
        raise ValidationError(_("This course is not shared with your organisation."))
    return _course_add(organisation, entry, code)


def _course_add(organisation, entry: LibraryCourse, code: str) -> Course:
    courses = Course.objects.for_organisation(organisation)
    if (
        courses.filter(library_code=code).exists()
        or courses.filter(topic_zh=entry.topic_zh).exists()
    ):
        raise ValidationError(_("Your organisation already has this course."))
    course = Course(
        organisation=organisation,
        topic_zh=entry.topic_zh,
        topic_en=entry.topic_en,
        description_zh=entry.summary_zh,
        description_en=entry.summary_en,
        audience=[ALL_STAFF] if ALL_STAFF in entry.audience else list(entry.audience),
        duration_minutes=entry.duration_minutes,
        refresher_months=entry.refresher_months,
        pass_mark=entry.pass_mark,
        library_code=code,
    )
    course.full_clean()
    course.save()
    return course


def _self_study_session(course: Course, day: datetime.date) -> TrainingSession:
    session = (
        TrainingSession.objects.for_organisation(course.organisation)
        .filter(course=course, date=day, is_self_study=True)
        .first()
    )
    if session is None:
        session = TrainingSession.objects.create(
            organisation=course.organisation,
            course=course,
            date=day,
            is_online=True,
            is_self_study=True,
        )
    return session


@transaction.atomic
def quiz_submit(*, organisation, user, course: Course, answers: dict[str, int]) -> QuizAttempt:
    """Mark a member's answers to a library course's quiz. Every question must be answered. A
    pass records (or improves) the member's attendance of the day's self-study session."""
    require_role(roles=roles.ALL_MEMBERS, organisation=organisation, user=user)
    if course.organisation_id != organisation.pk or not course.is_active:
        raise ValidationError(_("This course is not open for a quiz."))
    entry = library_course_of(course)
    if entry is None or not entry.questions:
        raise ValidationError(_("This course has no quiz in the course library."))
    missing = [q.code for q in entry.questions if q.code not in answers]
    if missing:
        raise ValidationError(_("Answer every question before you submit."))
    marking = []
    for question in entry.questions:
        chosen = answers[question.code]
        if not 0 <= chosen < len(question.options_zh):
            raise ValidationError(_("Answer every question before you submit."))
        marking.append({"code": question.code, "answer": question.answer, "chosen": chosen})
    correct = sum(1 for mark in marking if mark["chosen"] == mark["answer"])
    score = round(100 * correct / len(marking))
    passed = score >= (course.pass_mark if course.pass_mark is not None else entry.pass_mark)
    attendance = None
    if passed:
        session = _self_study_session(course, timezone.localdate())
        attendance, created = Attendance.objects.get_or_create(
            organisation=organisation, session=session, user=user, defaults={"quiz_score": score}
        )
        if not created and (attendance.quiz_score or 0) < score:
            attendance.quiz_score = score
            attendance.save(update_fields=["quiz_score", "updated_at"])
    return QuizAttempt.objects.create(
        organisation=organisation,
        course=course,
        user=user,
        library_version=_library_version(course),
        marking=marking,
        score=score,
        passed=passed,
        attendance=attendance,
    )
