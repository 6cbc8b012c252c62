"""The licence register: export licences MOFCOM granted, their scope and limits, and what
approved transactions have drawn from them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel

# How long MOFCOM grants each kind for (REGS Art. 15: single licences up to one year, general up
# to three years). An export voucher is obtained before each export (REGS Art. 15(4)); the
# register keeps it for the one export it was registered for, so no fixed limit applies.
MAX_VALIDITY_DAYS = {"single": 366, "general": 3 * 365 + 1, "voucher": 366}
EXPIRY_WARNING_DAYS = 60


class Licence(OrganisationScopedModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single licence")
        GENERAL = "general", _("General licence")
        VOUCHER = "voucher", _("Export voucher")

    number = models.CharField(_("licence number"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    items = models.ManyToManyField("trade.Item", related_name="licences", verbose_name=_("items"))
    end_users = models.ManyToManyField(
        "screening.Party",
        related_name="licences",
        blank=True,
        verbose_name=_("end users"),
        help_text=_("Leave empty only for a general licence not limited to named end users."),
    )
    destinations = CountryField(_("destinations"), multiple=True, blank=True)
    quantity_limit = models.DecimalField(
        _("quantity limit"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    value_limit = models.DecimalField(
        _("value limit"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    conditions = models.TextField(_("conditions"), blank=True)
    # An export voucher's case (REGS Art. 19(1), codes of the licensing path reference data) and
    # the date by which the goods come back where the case requires a return.
    voucher_case = models.CharField(_("export voucher case"), max_length=40, blank=True)
    return_due_on = models.DateField(_("to be returned by"), null=True, blank=True)
    # MOFCOM's notice to stop using it for now (REGS Art. 18(3) and (4)), or the exporter's own
    # stop when a voucher's condition no longer holds (REGS Art. 19(3)).
    # What REGS Art. 18(1) asks to report after each shipment under it, and within how many
    # days of the shipment (ReportDuty values).
    report_duties = models.JSONField(_("reports after shipment"), default=list, blank=True)
    report_within_days = models.PositiveSmallIntegerField(
        _("report within (days after shipment)"), default=30
    )
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    suspended_reason = models.TextField(_("why suspended"), blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[items, end_users])

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-valid_until", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="trade_licence_unique"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="trade_licence_valid_range",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("transactions:licence_detail", args=[self.pk])

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_voucher(self) -> bool:
        return self.kind == self.Kind.VOUCHER

    @property
    def voucher_case_text(self) -> str:
        """The voucher's case of REGS Art. 19(1), in the reader's language."""
        from trade.licensing_reference import current_licensing_reference

        case = current_licensing_reference().voucher_case(self.voucher_case)
        return str(case.text) if case else ""

    @property
    def days_left(self) -> int:
        return (self.valid_until - timezone.localdate()).days

    @property
    def expires_soon(self) -> bool:
        return self.revoked_at is None and 0 <= self.days_left <= EXPIRY_WARNING_DAYS

    @property
    def is_expired(self) -> bool:
        return self.days_left < 0


class LicenceDrawdown(OrganisationScopedModel):
    """What one approval took from a licence. A reopened review gives it back (`released_at`)."""

    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="drawdowns", verbose_name=_("licence")
    )
    transaction = models.ForeignKey(
        "trade.Transaction",
        on_delete=models.PROTECT,
        related_name="drawdowns",
        verbose_name=_("transaction"),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    released_at = models.DateTimeField(_("given back"), null=True, blank=True)
    release_reason = models.CharField(_("why given back"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("licence draw-down")
        verbose_name_plural = _("licence draw-downs")
        ordering = ["-drawn_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "transaction"],
                condition=Q(released_at__isnull=True),
                name="trade_drawdown_one_active_per_transaction",
            )
        ]

    def __str__(self):
        return f"{self.licence} · {self.transaction}"

    @property
    def release_reason_text(self) -> str:
        """Why it was given back, in the reader's language when the system wrote it (the
        reason is that of the superseded approval, kept here as written)."""
        from trade.stored_text import parse, render

        parsed = parse(self.release_reason)
        return render(*parsed, self.release_reason) if parsed else self.release_reason


class ReportDuty(models.TextChoices):
    """What REGS Art. 18(1) asks the exporter to report after a licensed export."""

    ACTUAL_SHIPMENT = "actual_shipment", _("Actual shipment")
    ARRIVAL = "arrival", _("Arrival")
    INSTALLATION = "installation", _("Installation")
    USE = "use", _("Use")


class PostShipmentDuty(OrganisationScopedModel):
    """A report due after a shipment under a licence or export voucher (REGS Art. 18(1)),
    created from the licence's conditions when the shipment is recorded; done with its
    evidence (a note here, the documents attached to the record)."""

    transaction = models.ForeignKey(
        "trade.Transaction",
        on_delete=models.CASCADE,
        related_name="post_shipment_duties",
        verbose_name=_("transaction"),
    )
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="duties", verbose_name=_("licence")
    )
    kind = models.CharField(_("report"), max_length=20, choices=ReportDuty.choices)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    evidence_note = models.TextField(_("what was reported, and the evidence"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post-shipment report")
        verbose_name_plural = _("post-shipment reports")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "licence", "kind"], name="trade_post_shipment_duty_unique"
            )
        ]

    def __str__(self):
        return f"{self.transaction} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("transactions:transaction_detail", args=[self.transaction_id]) + (
            f"#report-{self.pk}"
        )

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
