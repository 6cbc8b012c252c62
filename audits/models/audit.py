"""The audit itself, its addenda after sign-off and the report versions.

Sign-off freezes an audit. Services refuse every change to a signed-off audit, and so do the
models' save() and delete() (a second line of defence for code that forgets the service); the
audit's checklist items and findings refuse it through `_refuse_if_frozen`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel
from core.i18n import localised

from .plan import AuditType, PlanEntry


class AuditFrozenError(ValidationError):
    """Raised when something tries to change a signed-off audit."""

    def __init__(self):
        super().__init__(
            _("The audit is signed off and can no longer be changed. Add an addendum instead.")
        )


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SIGNED_OFF = "signed_off", _("Signed off")


class Audit(OrganisationScopedModel):
    reference = models.CharField(_("reference"), max_length=40)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    audit_type = models.CharField(
        _("type"), max_length=20, choices=AuditType.choices, default=AuditType.INTERNAL
    )
    elements = models.JSONField(_("elements in scope"), default=list)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead auditor"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("audit team")
    )
    template = models.ForeignKey(
        "audits.ChecklistTemplate",
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name=_("checklist template"),
    )
    sample_size = models.PositiveSmallIntegerField(
        _("random sample size"),
        default=20,
        help_text=_(
            "Transactions drawn at random besides the risk-based sample (all held or rejected "
            "ones, all with true hits, all with red flags answered yes)."
        ),
    )
    # Drawn once when the audit is created: the same audit always gives the same sample.
    sample_seed = models.BigIntegerField(_("sample seed"))
    status = models.CharField(
        _("status"), max_length=12, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    plan_entry = models.ForeignKey(
        PlanEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audits",
        verbose_name=_("plan entry"),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous audit"),
    )
    generation_job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("checklist generated"), null=True, blank=True)
    generated_revision = models.PositiveIntegerField(_("template revision used"), default=0)
    summary = models.TextField(_("summary of the results"), blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["generation_job"])

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-planned_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="audits_audit_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="audits_audit_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="audits_audit_plan_dates_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed_off")
                | Q(signed_off_at__isnull=False, signed_off_by__isnull=False),
                name="audits_audit_signed_off_complete",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {localised(self, 'title')}"

    def get_absolute_url(self):
        return reverse("audits:audit_detail", args=[self.pk])

    @property
    def is_signed_off(self) -> bool:
        return self.status == AuditStatus.SIGNED_OFF

    def save(self, *args, **kwargs):
        if self.pk and Audit.objects.filter(pk=self.pk, status=AuditStatus.SIGNED_OFF).exists():
            raise AuditFrozenError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_signed_off:
            raise AuditFrozenError
        return super().delete(*args, **kwargs)


def _refuse_if_frozen(audit_id) -> None:
    if Audit.objects.filter(pk=audit_id, status=AuditStatus.SIGNED_OFF).exists():
        raise AuditFrozenError


class AuditAddendum(OrganisationScopedModel):
    """A correction or supplement to a signed-off audit, with its own date and author."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(_("addendum"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["audit", "created_at", "pk"]

    def __str__(self):
        return f"{self.audit.reference} · {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("An addendum is never changed; add another one."))
        super().save(*args, **kwargs)


class AuditReport(OrganisationScopedModel):
    """One rendered version of the audit report PDF, kept with its SHA-256."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(_("file"), upload_to="audits/reports/%Y/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    page_count = models.PositiveSmallIntegerField(_("pages"), default=0)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated"), auto_now_add=True)
    audit_signed_off = models.BooleanField(_("of the signed-off audit"), default=False)

    class Meta:
        verbose_name = _("audit report")
        verbose_name_plural = _("audit reports")
        ordering = ["audit", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "version"], name="audits_report_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.audit.reference} v{self.version} ({self.language})"

    def get_absolute_url(self):
        return reverse("audits:report_download", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"{self.audit.reference}-report-v{self.version}-{self.language}.pdf"
