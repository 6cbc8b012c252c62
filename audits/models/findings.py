"""What an audit found and the corrective actions that close it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel

from .audit import Audit, _refuse_if_frozen
from .checklist import ChecklistItem


class Severity(models.TextChoices):
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")
    OBSERVATION = "observation", _("Observation")


class Finding(OrganisationScopedModel):
    """A shortcoming the audit found, raised from a checklist item. It stays open until every
    corrective action is verified closed by an auditor."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    number = models.PositiveSmallIntegerField(_("number"))
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("checklist item"),
    )
    element_code = models.CharField(_("element"), max_length=4)
    title = models.CharField(_("finding"), max_length=300)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    root_cause = models.TextField(_("root cause"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="audits_finding_number_unique")
        ]

    def __str__(self):
        return f"{self.audit.reference}-F{self.number:02d} {self.title}"

    @property
    def code(self) -> str:
        return f"F{self.number:02d}"

    def get_absolute_url(self):
        return reverse("audits:finding_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        _refuse_if_frozen(self.audit_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_frozen(self.audit_id)
        return super().delete(*args, **kwargs)


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done: awaiting verification")
    VERIFIED = "verified", _("Closed: verified by an auditor")


class CorrectiveAction(OrganisationScopedModel):
    """What the owner does about a finding. The owner reports it done; an auditor other than
    the owner verifies and closes it. Follow-up continues after the audit is signed off."""

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="actions", verbose_name=_("finding")
    )
    description = models.TextField(_("corrective action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    progress_note = models.TextField(_("what was done"), blank=True)
    completed_at = models.DateTimeField(_("reported done"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verification_note = models.TextField(_("verification"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="verified")
                | (Q(verified_by__isnull=False) & ~Q(verified_by=models.F("owner"))),
                name="audits_action_verified_by_other_than_owner",
            )
        ]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("audits:action_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == ActionStatus.VERIFIED
