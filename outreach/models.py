"""Outreach of a chamber of commerce to its members: events (training sessions, seminars,
briefings) with registration, attendance and certificates, and a case library of published
enforcement decisions.

An event and its registrations belong to the chamber (`organisation`); a registration names the
member organisation and the person who registered, which is all the chamber learns of a member
through outreach. An attended registration may record an attendance in the member's own training
records (icp.Attendance) when the event teaches a course the member has taken from the course
library; nothing is copied, the attendance is linked.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationScopedModel
from core.i18n import localised


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training session")
    SEMINAR = "seminar", _("Seminar")
    BRIEFING = "briefing", _("Briefing")


class Authority(models.TextChoices):
    CUSTOMS = "customs", pgettext_lazy("authority", "Customs")
    MOFCOM = "mofcom", _("Ministry of Commerce (MOFCOM)")
    OTHER = "other", _("Other authority")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published to members")


class EnforcementCase(OrganisationScopedModel):
    """A published enforcement decision (customs or MOFCOM) entered from its source. The app
    ships no cases: each is entered by a chamber or a compliance manager from the decision as
    published, and the source is required so that every reader can check it."""

    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    authority = models.CharField(_("authority"), max_length=16, choices=Authority.choices)
    authority_name = models.CharField(
        _("deciding office"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the customs district that decided; required for another authority."),
    )
    decision_number = models.CharField(
        _("decision number"), max_length=120, help_text=_("As printed on the decision.")
    )
    decision_date = models.DateField(_("decision date"))
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("Where the decision is published: its web address or the publication."),
    )
    summary_zh = models.TextField(_("facts and decision (Chinese)"))
    summary_en = models.TextField(_("facts and decision (English)"), blank=True)
    lessons_zh = models.TextField(_("lessons for members (Chinese)"), blank=True)
    lessons_en = models.TextField(_("lessons for members (English)"), blank=True)
    # Reference ids of the framework's legal provisions (reference.LegalProvision), e.g. ECL-34.
    provisions = models.JSONField(_("legal provisions cited"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "authority", "decision_number"],
                name="enforcement_case_number_unique",
            )
        ]

    def __str__(self):
        return localised(self, "title")

    def get_absolute_url(self):
        return reverse("outreach:case_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def source_is_link(self) -> bool:
        return self.source.startswith(("https://", "http://"))


class Event(OrganisationScopedModel):
    """A training session, seminar or briefing a chamber holds for its members."""

    kind = models.CharField(_("kind of event"), max_length=16, choices=EventKind.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_zh = models.TextField(_("programme (Chinese)"), blank=True)
    description_en = models.TextField(_("programme (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(15)]
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateTimeField(_("registration closes"))
    library_code = models.CharField(
        _("course from the course library"),
        max_length=80,
        blank=True,
        help_text=_(
            "When the event teaches a library course, attendance counts in the training records "
            "of members that have added that course."
        ),
    )
    cases = models.ManyToManyField(
        EnforcementCase,
        blank=True,
        related_name="events",
        verbose_name=_("cases discussed"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when the time or the place changed while people were registered: their notification
    # names this moment, so each change reaches them once.
    rescheduled_at = models.DateTimeField(
        _("time or place last changed"), null=True, blank=True, editable=False
    )
    # A cancelled event stays, with its registrations, as a record of what was announced.
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("cancelled by"),
    )
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration_deadline__lte=models.F("starts_at")),
                name="event_deadline_before_start",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="event_capacity"),
        ]

    def __str__(self):
        return localised(self, "title")

    def get_absolute_url(self):
        return reverse("outreach:event_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(OrganisationScopedModel):
    """A member's person registered for a chamber's event (`organisation` is the chamber). One
    row per event and person: registering again after a cancellation reuses it. `attended` is
    the chamber's record; the certificate's number and verification code follow from it."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    member = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    registered_at = models.DateTimeField(_("registered"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("attendance recorded by"),
    )
    verification_code = models.CharField(
        _("verification code"), max_length=32, blank=True, editable=False
    )
    # The member's own training record of this attendance, when the event teaches a course the
    # member has taken from the course library.
    training_attendance = models.ForeignKey(
        "icp.Attendance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("training record"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["event", "member__slug", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_unique"),
            models.UniqueConstraint(
                fields=["verification_code"],
                condition=~models.Q(verification_code=""),
                name="registration_verification_unique",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.event}"

    def get_absolute_url(self):
        return reverse("outreach:event_detail", args=[self.event_id])

    @property
    def is_active(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED

    @property
    def certificate_number(self) -> str:
        """Stable and unique per registration, so a certificate printed twice has one number."""
        return f"{self.organisation.slug.upper()}-E{self.pk:06d}"
