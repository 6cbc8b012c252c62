"""Service providers (REGS Arts. 6 and 36): freight forwarders and logistics firms, banks and
payment firms, e-commerce platforms. They must not serve an export-control violation and must
report a suspected one to MOFCOM. Their light programme is a check of each customer's request
(know your shipper / payer / seller): what the goods are, the licence or export voucher presented,
both parties screened, a decision, and a report to MOFCOM when a violation is suspected."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel


class ProviderKind(models.TextChoices):
    FORWARDER = "forwarder", _("Freight forwarding and logistics")
    BANK = "bank", _("Banking and payment")
    PLATFORM = "platform", _("E-commerce platform")


# Who the customer and the other party are, by kind of service.
PARTY_LABELS = {
    ProviderKind.FORWARDER: (_("Shipper"), _("Consignee")),
    ProviderKind.BANK: (_("Payer"), _("Beneficiary")),
    ProviderKind.PLATFORM: (_("Seller"), _("Buyer")),
}


class ProviderProfile(OrganisationScopedModel):
    """The organisation provides services to exporters (one row per organisation)."""

    kind = models.CharField(_("kind of service"), max_length=16, choices=ProviderKind.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service provider profile")
        verbose_name_plural = _("service provider profiles")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="provider_profile_one_per_org")
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_kind_display()}"

    @property
    def party_labels(self):
        return PARTY_LABELS[ProviderKind(self.kind)]


class CustomerCheck(OrganisationScopedModel):
    """One customer request checked before the service is provided."""

    class Declared(models.TextChoices):
        LISTED = "listed", _("Yes: on the control list or under a temporary control")
        NOT_LISTED = "not_listed", _("No")
        UNKNOWN = "unknown", _("Not stated")

    class Permit(models.TextChoices):
        NONE = "none", _("None presented")
        SINGLE = "single", _("Single licence")
        GENERAL = "general", _("General licence")
        VOUCHER = "voucher", _("Export voucher")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Awaiting decision")
        HELD = "held", _("On hold: information requested")
        RELEASED = "released", _("Service provided")
        REFUSED = "refused", _("Service refused")
        REPORTED = "reported", _("Refused and reported to MOFCOM")

    reference = models.CharField(
        _("reference"), max_length=100, help_text=_("Booking, waybill, payment or order number.")
    )
    customer_name = models.CharField(_("customer"), max_length=300)
    customer_country = CountryField(_("customer's country"), blank=True)
    counterparty_name = models.CharField(_("other party"), max_length=300)
    counterparty_country = CountryField(_("other party's country"), blank=True)
    goods = models.TextField(_("goods, technology or services"))
    hs_code = models.CharField(_("HS code"), max_length=20, blank=True)
    declared = models.CharField(
        _("declared as controlled"), max_length=16, choices=Declared.choices
    )
    permit = models.CharField(
        _("licence or export voucher presented"),
        max_length=16,
        choices=Permit.choices,
        default=Permit.NONE,
    )
    permit_number = models.CharField(_("licence or voucher number"), max_length=100, blank=True)
    customer_screening = models.ForeignKey(
        "screening.Screening",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening of the customer"),
    )
    counterparty_screening = models.ForeignKey(
        "screening.Screening",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening of the other party"),
    )
    outcome = models.CharField(
        _("decision"), max_length=16, choices=Outcome.choices, default=Outcome.OPEN
    )
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer check")
        verbose_name_plural = _("customer checks")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.reference} · {self.customer_name}"

    def get_absolute_url(self):
        return reverse("providers:check_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.outcome in {self.Outcome.RELEASED, self.Outcome.REFUSED, self.Outcome.REPORTED}

    @property
    def screenings(self):
        return [s for s in (self.customer_screening, self.counterparty_screening) if s]


class SuspicionReport(OrganisationScopedModel):
    """The report to MOFCOM of a suspected export-control violation (REGS Art. 36)."""

    check_record = models.OneToOneField(
        CustomerCheck,
        on_delete=models.PROTECT,
        related_name="report",
        verbose_name=_("customer check"),
    )
    grounds = models.TextField(_("what raised the suspicion"))
    reported_on = models.DateField(_("reported on"))
    channel = models.CharField(
        _("how it was reported"),
        max_length=200,
        help_text=_(
            "E.g. letter to the MOFCOM export control bureau, or the provincial department."
        ),
    )
    mofcom_reference = models.CharField(_("MOFCOM's reference"), max_length=100, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suspicion report")
        verbose_name_plural = _("suspicion reports")

    def __str__(self):
        return f"{self.check_record} · {self.reported_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return self.check_record.get_absolute_url()
