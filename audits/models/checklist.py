"""An audit's checklist: programme questions, checks on sampled transactions and re-checks of
previous findings, with their answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel

from .audit import Audit, _refuse_if_frozen


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
