"""E6 education and training: courses, sessions, attendance, quiz scores, certificates."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership
from core.pdf import render_pdf
from icp.models import (
    ALL_STAFF,
    Attendance,
    Course,
    TrainingFunction,
    TrainingProfile,
    TrainingSession,
)
from icp.models.training import AUDIENCE_CHOICES
from icp.selectors.training import due_date

COURSE_FIELDS = (
    "topic_zh",
    "topic_en",
    "description_zh",
    "description_en",
    "audience",
    "duration_minutes",
    "refresher_months",
    "pass_mark",
    "is_active",
)
SESSION_FIELDS = ("course", "date", "trainer", "location", "is_online", "notes")


def _clean_audience(audience) -> list[str]:
    allowed = [value for value, _label in AUDIENCE_CHOICES]
    audience = [value for value in allowed if value in set(audience or [])]
    if not audience:
        raise ValidationError({"audience": _("Choose who must take this course.")})
    # "All staff" already includes every function.
    return [ALL_STAFF] if ALL_STAFF in audience else audience


def _save_course(course: Course, values: dict) -> Course:
    for name in COURSE_FIELDS:
        if name in values:
            setattr(course, name, values[name])
    course.audience = _clean_audience(course.audience)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def course_create(*, organisation, user, **values) -> Course:
    return _save_course(Course(organisation=organisation), values)


@transaction.atomic
def course_update(*, course: Course, user, **values) -> Course:
    return _save_course(course, values)


def _member_ids(organisation, users) -> set[int]:
    wanted = {user.pk for user in users}
    members = set(
        Membership.objects.active()
        .filter(organisation=organisation, user_id__in=wanted)
        .values_list("user_id", flat=True)
    )
    if wanted - members:
        raise ValidationError(
            {"attendees": _("Every attendee must be a member of this organisation.")}
        )
    return members


def _sync_attendees(session: TrainingSession, users) -> None:
    wanted = _member_ids(session.organisation, users)
    present = set(session.attendances.values_list("user_id", flat=True))
    for attendance in session.attendances.filter(user_id__in=present - wanted):
        attendance.delete()  # one by one, so the history records each removal
    for user_id in sorted(wanted - present):
        Attendance.objects.create(
            organisation=session.organisation, session=session, user_id=user_id
        )


def _refuse_self_study(session: TrainingSession) -> None:
    if session.is_self_study:
        raise ValidationError(
            _("A self-study session is recorded by the members' quizzes and cannot be changed.")
        )


def _save_session(session: TrainingSession, values: dict) -> TrainingSession:
    for name in SESSION_FIELDS:
        if name in values:
            setattr(session, name, values[name])
    if session.course.organisation_id != session.organisation_id:
        raise ValidationError({"course": _("The course belongs to another organisation.")})
    if not session.trainer.strip():
        raise ValidationError({"trainer": _("Name the trainer.")})
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def training_session_create(*, organisation, user, attendees=(), **values) -> TrainingSession:
    """Record a session and who attended it."""
    session = _save_session(TrainingSession(organisation=organisation), values)
    _sync_attendees(session, attendees)
    return session


@transaction.atomic
def training_session_update(
    *, session: TrainingSession, user, attendees=None, **values
) -> TrainingSession:
    """Change a session; when `attendees` is given, members no longer listed are removed (their
    scores with them) and new ones added. Existing attendees keep their scores."""
    _refuse_self_study(session)
    session = _save_session(session, values)
    if attendees is not None:
        _sync_attendees(session, attendees)
    return session


@transaction.atomic
def attendance_scores_record(
    *, session: TrainingSession, user, scores: dict[int, int | None]
) -> int:
    """Record quiz scores by attendance id (None clears a score). Returns how many changed."""
    _refuse_self_study(session)
    if session.course.pass_mark is None and any(score is not None for score in scores.values()):
        raise ValidationError(_("This course has no quiz; set a pass mark on the course first."))
    changed = 0
    for attendance in session.attendances.filter(pk__in=scores):
        score = scores[attendance.pk]
        if score is not None and not 0 <= score <= 100:
            raise ValidationError(_("A quiz score is between 0 and 100."))
        if attendance.quiz_score != score:
            attendance.quiz_score = score
            attendance.save(update_fields=["quiz_score", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def training_profile_set(*, organisation, user, member, function: str) -> TrainingProfile:
    """Set a member's training function (which courses they must take)."""
    if function not in TrainingFunction.values:
        raise ValidationError({"function": _("Choose a training function.")})
    _member_ids(organisation, [member])
    profile, _created = TrainingProfile.objects.get_or_create(
        organisation=organisation, user=member, defaults={"function": function}
    )
    if profile.function != function:
        profile.function = function
        profile.save()
    return profile


def certificate_number(attendance: Attendance) -> str:
    """Stable and unique per attendance, so a certificate printed twice carries one number."""
    return f"{attendance.organisation.slug.upper()}-T{attendance.pk:06d}"


def attendance_certificate_pdf(*, attendance: Attendance, language: str) -> bytes:
    """The completion certificate of one attendee, rendered in `language` (zh-hans or en)."""
    if not attendance.is_completed:
        raise ValidationError(_("A certificate is issued only for a completed course."))
    session = attendance.session
    return render_pdf(
        "pdf/training_certificate.html",
        {
            "attendance": attendance,
            "session": session,
            "course": session.course,
            "organisation": attendance.organisation,
            "certificate_number": certificate_number(attendance),
            "due": due_date(
                completed_on=session.date, refresher_months=session.course.refresher_months
            ),
        },
        language=language,
    )
