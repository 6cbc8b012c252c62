"""The annual audit plan and its entries, possibly recurring."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel
from core.i18n import localised


class AuditType(models.TextChoices):
    INTERNAL = "internal", _("Internal audit")
    THIRD_PARTY = "third_party", _("Third-party audit")
    MOFCOM_READINESS = "mofcom_readiness", _("Readiness for a MOFCOM verification")


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    YEARLY = "yearly", _("Every year")
    HALF_YEARLY = "half_yearly", _("Every six months")
    QUARTERLY = "quarterly", _("Every quarter")


RECURRENCE_MONTHS = {
    Recurrence.ONCE: 0,
    Recurrence.YEARLY: 12,
    Recurrence.HALF_YEARLY: 6,
    Recurrence.QUARTERLY: 3,
}


class AuditPlan(OrganisationScopedModel):
    """The annual audit plan (E7): what will be audited in a year, and when."""

    year = models.PositiveSmallIntegerField(_("year"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual audit plan")
        verbose_name_plural = _("annual audit plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="audits_plan_year_unique")
        ]

    def __str__(self):
        return str(self.year)

    def get_absolute_url(self):
        return reverse("audits:plan") + f"?year={self.year}"


class PlanEntry(OrganisationScopedModel):
    """A planned audit, possibly recurring: starting it creates the audit and moves the entry
    to its next occurrence."""

    plan = models.ForeignKey(
        AuditPlan, on_delete=models.CASCADE, related_name="entries", verbose_name=_("plan")
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    audit_type = models.CharField(
        _("type"), max_length=20, choices=AuditType.choices, default=AuditType.INTERNAL
    )
    elements = models.JSONField(_("elements in scope"), default=list)
    recurrence = models.CharField(
        _("recurrence"), max_length=12, choices=Recurrence.choices, default=Recurrence.YEARLY
    )
    next_start = models.DateField(_("next planned start"))
    duration_days = models.PositiveSmallIntegerField(_("planned duration (days)"), default=14)
    period_months = models.PositiveSmallIntegerField(
        _("period covered (months)"),
        default=12,
        help_text=_("The audit covers this many months before its planned start."),
    )
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead auditor"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit plan entry")
        verbose_name_plural = _("audit plan entries")
        ordering = ["next_start", "pk"]

    def __str__(self):
        return localised(self, "title")

    def get_absolute_url(self):
        return self.plan.get_absolute_url()
