"""E6 Education and training: courses, sessions, attendance (with an optional quiz score) and
each member's training function.

Who must take a course is decided by *training function* (sales, engineering, logistics ...), not
by the workbench role: the workbench role says what someone may do in this app, while MOFCOM's
guidance and its comparators (EU 2019/1318, E6-R2) target training at what people do in the
company, e.g. red-flag training for sales and classification training for engineers.

Nothing here stores whether someone is "due" or "overdue": that is computed from the dates of
completed attendances every time (see `icp.selectors.training`), so it can never go stale.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles
from accounts.models import OrganisationScopedModel
from accounts.roles import Role
from core.i18n import localised
from core.registry import register_record

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class TrainingFunction(models.TextChoices):
    """What a member does in the company, for targeting training."""

    MANAGEMENT = "management", _("Management")
    COMPLIANCE = "compliance", _("Compliance")
    SALES = "sales", _("Sales")
    ENGINEERING = "engineering", _("Engineering and R&D")
    LOGISTICS = "logistics", _("Logistics and customs")
    PURCHASING = "purchasing", _("Purchasing")
    FINANCE = "finance", _("Finance")
    AUDIT = "audit", _("Internal audit")
    OTHER = "other", _("Other")


# A course aimed at everyone names this instead of every function.
ALL_STAFF = "all"
AUDIENCE_CHOICES = [(ALL_STAFF, _("All staff")), *TrainingFunction.choices]

# Until the compliance manager records someone's function, it follows from their workbench role.
DEFAULT_FUNCTION_BY_ROLE = {
    Role.COMPLIANCE_MANAGER: TrainingFunction.COMPLIANCE,
    Role.MANAGEMENT: TrainingFunction.MANAGEMENT,
    Role.AUDITOR: TrainingFunction.AUDIT,
    Role.STAFF: TrainingFunction.OTHER,
}


class TrainingProfile(OrganisationScopedModel):
    """A member's training function in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_profiles",
        verbose_name=_("member"),
    )
    function = models.CharField(
        _("training function"), max_length=20, choices=TrainingFunction.choices
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training profile")
        verbose_name_plural = _("training profiles")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="training_profile_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_function_display()}"


class Course(OrganisationScopedModel):
    topic_zh = models.CharField(_("topic (Chinese)"), max_length=200)
    topic_en = models.CharField(_("topic (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("content (Chinese)"), blank=True)
    description_en = models.TextField(_("content (English)"), blank=True)
    audience = models.JSONField(
        _("audience"),
        default=list,
        help_text=_("The training functions that must take this course."),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    refresher_months = models.PositiveSmallIntegerField(
        _("refresher interval (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Leave empty when the course is taken once."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("quiz pass mark"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("0-100. Leave empty when the course has no quiz."),
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Retired courses are no longer required.")
    )
    library_code = models.CharField(
        _("course library entry"),
        max_length=80,
        blank=True,
        editable=False,
        help_text=_("Set when the course was added from the course library (material and quiz)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["topic_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "topic_zh"], name="course_topic_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__isnull=True) | models.Q(pass_mark__lte=100),
                name="course_pass_mark_percent",
            ),
        ]

    def __str__(self):
        return localised(self, "topic")

    def get_absolute_url(self):
        return reverse("icp:course_detail", args=[self.pk])

    def targets(self, function: str) -> bool:
        return ALL_STAFF in self.audience or function in self.audience

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(AUDIENCE_CHOICES)
        return [str(labels.get(value, value)) for value in self.audience]


class TrainingSession(OrganisationScopedModel):
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    date = models.DateField(_("date"))
    # Empty only on a self-study session (the course library's material and quiz, no trainer).
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    is_self_study = models.BooleanField(_("self-study"), default=False, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Attendance",
        related_name="+",
        verbose_name=_("attendees"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.course} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("icp:session_detail", args=[self.pk])

    @property
    def trainer_label(self) -> str:
        return self.trainer or str(_("Self-study (course library)"))


class Attendance(OrganisationScopedModel):
    """A member attended a session; with a quiz score when the course has a quiz."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_attendances",
        verbose_name=_("attendee"),
    )
    quiz_score = models.PositiveSmallIntegerField(
        _("quiz score"), null=True, blank=True, validators=PERCENT
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_unique"),
            models.CheckConstraint(
                condition=models.Q(quiz_score__isnull=True) | models.Q(quiz_score__lte=100),
                name="attendance_score_percent",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.session}"

    def get_absolute_url(self):
        return reverse("icp:session_detail", args=[self.session_id])

    @property
    def is_completed(self) -> bool:
        """Attended, and passed the quiz when the course has one."""
        pass_mark = self.session.course.pass_mark
        if pass_mark is None:
            return True
        return self.quiz_score is not None and self.quiz_score >= pass_mark


class QuizAttempt(OrganisationScopedModel):
    """One member's answers to a library course's quiz, marked when submitted. The questions and
    correct answers it was marked on are kept with it, so a later correction of the library never
    changes a past result. A passing attempt records an attendance of that day's self-study
    session, which is what the training matrix counts and what the certificate is issued for."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="quiz_attempts", verbose_name=_("course")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
        verbose_name=_("member"),
    )
    library_version = models.CharField(_("course library version"), max_length=40)
    # [{"code", "answer", "chosen"}] in the order asked.
    marking = models.JSONField(_("answers"), default=list)
    score = models.PositiveSmallIntegerField(_("quiz score"), validators=PERCENT)
    passed = models.BooleanField(_("passed"))
    attendance = models.ForeignKey(
        Attendance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance"),
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=100), name="quiz_attempt_percent")
        ]

    def __str__(self):
        return f"{self.user} · {self.course} · {self.score}"

    def get_absolute_url(self):
        return reverse("icp:quiz_attempt_detail", args=[self.pk])


# Course materials are the course's attachments; staff never open these pages.
register_record(Course, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.PROGRAMME_EDITORS)
register_record(
    TrainingSession, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.PROGRAMME_EDITORS
)
