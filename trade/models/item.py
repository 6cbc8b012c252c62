"""The item master: products the organisation exports, and their control classifications.

A classification is never edited: classifying again writes a new record and the previous one is
superseded, so the history of who decided what, and why, stays complete.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel

from .control_list import CONTROL_CODE_MAX_LENGTH, validate_control_code


class Item(OrganisationScopedModel):
    name = models.CharField(_("product"), max_length=200)
    name_en = models.CharField(_("product (English)"), max_length=200, blank=True)
    model_number = models.CharField(_("model"), max_length=120, blank=True)
    technical_parameters = models.TextField(
        _("key technical parameters"),
        blank=True,
        help_text=_("The parameters the classification relies on (accuracy, resolution, ...)."),
    )
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    reference = models.CharField(
        _("item number"), max_length=64, blank=True, help_text=_("The number in your ERP, if any.")
    )
    current_classification = models.ForeignKey(
        "trade.Classification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current classification"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["current_classification"])

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["name", "model_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=~Q(reference=""),
                name="trade_item_reference_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "name", "model_number"], name="trade_item_model_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.model_number}".strip()

    def get_absolute_url(self):
        return reverse("transactions:item_detail", args=[self.pk])


class Classification(OrganisationScopedModel):
    """One classification decision on one item (ECL Art. 12 and the catch-all of Art. 12(3))."""

    class Status(models.TextChoices):
        LISTED = "listed", _("Listed: control code")
        NOT_LISTED = "not_listed", _("Not listed")
        # REGS Art. 14(4): unsure whether the item is dual-use, the exporter asks MOFCOM; until
        # the answer settles it the item may not be approved for export.
        CONSULT_MOFCOM = "consult_mofcom", _("Unsure: consult MOFCOM")

    class CatchAll(models.TextChoices):
        NO_CONCERN = "no_concern", _("No catch-all concern")
        LICENCE_REQUIRED = "licence_required", _("Catch-all concern: licence required")

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="classifications", verbose_name=_("item")
    )
    status = models.CharField(_("classification"), max_length=16, choices=Status.choices)
    control_entry = models.ForeignKey(
        "trade.ControlListEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("control list entry"),
    )
    control_code = models.CharField(
        _("control code"),
        max_length=CONTROL_CODE_MAX_LENGTH,
        blank=True,
        validators=[validate_control_code],
    )
    rationale = models.TextField(
        _("rationale"),
        help_text=_("Which parameters were compared with which list entry, and the result."),
    )
    catalogue_hs_code = models.CharField(
        _("HS code in the customs catalogue"),
        max_length=10,
        blank=True,
        help_text=_("Set when the item's HS code was in the customs catalogue at classification."),
    )
    catalogue_justification = models.TextField(
        _("why the item is not listed although its HS code is in the customs catalogue"),
        blank=True,
        help_text=_("Which parameter, its value, and the list threshold it does not reach."),
    )
    catch_all = models.CharField(
        _("catch-all assessment (ECL Art. 12(3))"),
        max_length=20,
        choices=CatchAll.choices,
        default=CatchAll.NO_CONCERN,
    )
    catch_all_note = models.TextField(_("catch-all assessment note"), blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("classified by"),
    )
    classified_at = models.DateTimeField(_("classified"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["-classified_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["not_listed", "consult_mofcom"], control_code="")
                | (Q(status="listed") & ~Q(control_code="")),
                name="trade_classification_code_matches_status",
            )
        ]

    def __str__(self):
        if self.status == self.Status.LISTED:
            return self.control_code
        return str(self.get_status_display())

    def get_absolute_url(self):
        return reverse("transactions:item_detail", args=[self.item_id])

    @property
    def is_controlled(self) -> bool:
        """Needs a licence: listed, or caught by the catch-all."""
        return self.status == self.Status.LISTED or self.catch_all == self.CatchAll.LICENCE_REQUIRED

    @property
    def awaits_mofcom(self) -> bool:
        return self.status == self.Status.CONSULT_MOFCOM


class MofcomConsultation(OrganisationScopedModel):
    """A classification enquiry to MOFCOM (《两用物项出口管制条例》第十四条第四款): the exporter
    gives the item's performance parameters, main uses and why it cannot tell whether the item
    is dual-use; MOFCOM's answer settles the classification."""

    class Outcome(models.TextChoices):
        LISTED = "listed", _("Listed: control code")
        NOT_LISTED = "not_listed", _("Not listed")

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("item")
    )
    classification = models.ForeignKey(
        Classification,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("classification awaiting the answer"),
    )
    asked_on = models.DateField(_("asked on"))
    question = models.TextField(
        _("question"), help_text=_("The item's performance parameters and main uses.")
    )
    unsure_reason = models.TextField(_("why the classification cannot be determined"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("MOFCOM's answer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    control_code = models.CharField(
        _("control code"), max_length=CONTROL_CODE_MAX_LENGTH, blank=True
    )
    answer_document = models.ForeignKey(
        "records.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer document"),
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    settled_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("MOFCOM consultation")
        verbose_name_plural = _("MOFCOM consultations")
        ordering = ["-asked_on", "-pk"]

    def __str__(self):
        return f"{self.item} · {self.asked_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("transactions:item_detail", args=[self.item_id])

    @property
    def is_settled(self) -> bool:
        return self.settled_at is not None
