"""Export transactions: an order, a contract or a technology transfer (intangible transfers and
provision to foreign persons included), its parties by role, its items and its review state."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel
from core.i18n import labelled


class TransactionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    ON_HOLD = "on_hold", _("On hold")
    REJECTED = "rejected", _("Rejected")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class LicenceDecision(models.TextChoices):
    UNDECIDED = "", _("Not yet decided")
    NOT_CONTROLLED = "not_controlled", _("Not controlled: no licence needed")
    SINGLE_REQUIRED = "single_required", _("Licence required: single licence")
    GENERAL_REQUIRED = "general_required", _("Licence required: general licence")
    COVERED = "covered", _("Covered by a licence we hold")


class Transaction(OrganisationScopedModel):
    class Kind(models.TextChoices):
        ORDER = "order", _("Order")
        CONTRACT = "contract", _("Contract")
        TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer")

    class Stage(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry")
        QUOTATION = "quotation", _("Quotation")
        CONTRACT = "contract", _("Contract")
        PRODUCTION = "production", _("Production")
        SHIPMENT = "shipment", _("Shipment")
        AFTER_SALES = "after_sales", _("After-sales")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Imported file")
        API = "api", _("ERP (API)")

    reference = models.CharField(_("reference"), max_length=64)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.ORDER)
    is_intangible = models.BooleanField(
        _("intangible transfer"),
        default=False,
        help_text=_(
            "Technical data by e-mail or cloud, technical exchanges, training or other provision "
            "to foreign persons."
        ),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.ENQUIRY
    )
    order_date = models.DateField(_("order date"), null=True, blank=True)
    planned_shipment_date = models.DateField(_("planned shipment"), null=True, blank=True)
    destination_country = CountryField(_("destination"))
    transit_countries = CountryField(_("transit countries"), multiple=True, blank=True)
    end_use = models.TextField(_("stated end use"))
    customer_reference = models.CharField(_("customer's order number"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    state = models.CharField(
        _("state"), max_length=12, choices=TransactionState.choices, default=TransactionState.DRAFT
    )
    held_from = models.CharField(
        _("state before the hold"), max_length=12, choices=TransactionState.choices, blank=True
    )
    state_reason = models.TextField(_("why"), blank=True)
    # A reason the system wrote: a code and its parameters (trade.stored_text renders them in the
    # reader's language); `state_reason` then keeps the text as first written.
    state_reason_code = models.CharField(_("why (code)"), max_length=40, blank=True)
    state_reason_params = models.JSONField(_("why (parameters)"), default=dict, blank=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)

    # End-user/end-use certificate (the document itself is attached as a Document).
    euc_issuer = models.CharField(_("EUC issued by"), max_length=300, blank=True)
    euc_number = models.CharField(_("EUC number"), max_length=100, blank=True)
    euc_issued_on = models.DateField(_("EUC issued on"), null=True, blank=True)
    euc_valid_until = models.DateField(_("EUC valid until"), null=True, blank=True)

    licence_decision = models.CharField(
        _("licence decision"),
        max_length=20,
        choices=LicenceDecision.choices,
        default=LicenceDecision.UNDECIDED,
        blank=True,
    )
    licence = models.ForeignKey(
        "trade.Licence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
        verbose_name=_("licence"),
    )
    licence_note = models.TextField(_("licence note"), blank=True)

    # Denormalised for the review queue (refreshed by services.review.transaction_refresh).
    risk_level = models.CharField(
        _("risk"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    checks_open = models.PositiveSmallIntegerField(_("checks open"), default=5)
    end_user_name = models.CharField(_("end user"), max_length=300, blank=True)
    total_value = models.DecimalField(
        _("value"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)

    sales_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commercial approval by"),
    )
    source = models.CharField(
        _("entered through"), max_length=8, choices=Source.choices, default=Source.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["risk_level", "checks_open", "end_user_name", "total_value", "currency"]
    )

    class Meta:
        verbose_name = _("export transaction")
        verbose_name_plural = _("export transactions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="trade_transaction_reference_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "-created_at"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]

    def __str__(self):
        return self.reference

    @property
    def state_reason_text(self) -> str:
        from trade.stored_text import render

        return render(self.state_reason_code, self.state_reason_params, self.state_reason)

    def get_absolute_url(self):
        return reverse("transactions:transaction_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state != TransactionState.REJECTED

    @property
    def is_open(self) -> bool:
        return self.state in (TransactionState.DRAFT, TransactionState.IN_REVIEW)


class PartyRole(models.TextChoices):
    BUYER = "buyer", _("Buyer / importer")
    CONSIGNEE = "consignee", _("Consignee")
    END_USER = "end_user", _("End user")
    INTERMEDIARY = "intermediary", _("Intermediary or agent")
    FORWARDER = "forwarder", _("Freight forwarder")
    BANK = "bank", _("Bank")


class TransactionParty(OrganisationScopedModel):
    transaction = models.ForeignKey(
        Transaction, on_delete=models.CASCADE, related_name="parties", verbose_name=_("transaction")
    )
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    party = models.ForeignKey(
        "screening.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transaction party")
        verbose_name_plural = _("transaction parties")
        ordering = ["transaction", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "role", "party"], name="trade_transaction_party_unique"
            )
        ]

    def __str__(self):
        return labelled(self.get_role_display(), self.party)


class TransactionItem(OrganisationScopedModel):
    transaction = models.ForeignKey(
        Transaction, on_delete=models.CASCADE, related_name="lines", verbose_name=_("transaction")
    )
    item = models.ForeignKey(
        "trade.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=16, default="pcs")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transaction item")
        verbose_name_plural = _("transaction items")
        ordering = ["transaction", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="trade_line_quantity_positive"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="trade_line_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.item} × {Decimal(self.quantity).normalize():f}"
