"""Audits: the annual plan and its recurring entries, the audit itself, its checklist items,
addenda after sign-off and the report versions.

Sign-off freezes an audit. Services refuse every change to a signed-off audit, and so do the
models' save() and delete() (a second line of defence for code that forgets the service).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel
from core.i18n import localised


class AuditFrozenError(ValidationError):
    """Raised when something tries to change a signed-off audit."""

    def __init__(self):
        super().__init__(
            _("The audit is signed off and can no longer be changed. Add an addendum instead.")
        )


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


class ItemKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme question")
    TRANSACTION = "transaction", _("Sampled transaction")
    RECHECK = "recheck", _("Re-check of a previous finding")


class TransactionCheck(models.TextChoices):
    CLASSIFIED = "classified", _("Were the items classified before approval?")
    SCREENED = "screened", _("Were the parties screened on the list versions current at the time?")
    EUC = "euc", _("Was an end-user certificate present and valid at approval?")
    LICENCE = "licence", _("Was the licence drawn down correctly?")
    INDEPENDENT = "independent", _("Was it approved by someone independent of the sale?")


class Answer(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    PARTIAL = "partial", _("Partially compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(OrganisationScopedModel):
    """One line of an audit's checklist: a programme question, a check on a sampled transaction
    or the re-check of a previous finding. `key` makes generation idempotent."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("key"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    element_code = models.CharField(_("element"), max_length=4)
    ref_id = models.CharField(_("id"), max_length=40, blank=True)
    template_question = models.ForeignKey(
        "audits.TemplateQuestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    transaction = models.ForeignKey(
        "trade.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transaction"),
    )
    check_kind = models.CharField(
        _("check"), max_length=12, choices=TransactionCheck.choices, blank=True
    )
    sample_reason = models.CharField(_("why sampled"), max_length=200, blank=True)
    previous_finding = models.ForeignKey(
        "audits.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous finding"),
    )
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    guidance_zh = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    source = models.CharField(_("source"), max_length=20, blank=True)
    basis = models.CharField(_("basis"), max_length=30, blank=True)
    # Links to the app's own records: pre-linked at generation, added by the auditor later.
    # Each entry: {"kind": ..., "label": ..., "url": ..., "note": ..., "added_by": ...}.
    evidence = models.JSONField(_("evidence links"), default=list, blank=True)
    # Everyone who created, reviewed or approved the sampled transaction (independence).
    involved_user_ids = models.JSONField(default=list, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    independence_conflict = models.BooleanField(
        _("no independent auditor available"), default=False
    )
    withdrawn = models.BooleanField(
        _("withdrawn from the template"),
        default=False,
        help_text=_("The question was removed from the template after it was answered."),
    )
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["position", "involved_user_ids"])

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["audit", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "key"], name="audits_item_key_unique")
        ]
        indexes = [models.Index(fields=["audit", "element_code", "answer"])]

    def __str__(self):
        return f"{self.ref_id or self.key}"

    def get_absolute_url(self):
        return reverse("audits:item_detail", args=[self.audit_id, self.pk])

    def save(self, *args, **kwargs):
        _refuse_if_frozen(self.audit_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_frozen(self.audit_id)
        return super().delete(*args, **kwargs)


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
