"""The party register: customers, end users, consignees, forwarders, banks and agents the
organisation deals with, each screened against the restricted-party lists.

The register moved here from `trade`; its tables keep their names (`trade_party`,
`trade_historicalparty`) and rows, so the move changed nothing in the database."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel


class PartyType(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    END_USER = "end_user", _("End user")
    CONSIGNEE = "consignee", _("Consignee")
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee", _("Intermediate consignee")
    FORWARDER = "forwarder", _("Freight forwarder")
    BANK = "bank", _("Bank")
    AGENT = "agent", _("Agent or distributor")
    SUPPLIER = "supplier", _("Supplier")
    OTHER = "other", _("Other")


class ScreeningStatus(models.TextChoices):
    NOT_SCREENED = "not_screened", _("Not screened")
    CLEAR = "clear", _("No match")
    NEEDS_REVIEW = "needs_review", _("Potential match: needs a decision")
    CLEARED = "cleared", _("Cleared (false positive)")
    MATCH = "match", _("Confirmed match")


class Party(OrganisationScopedModel):
    name = models.CharField(
        _("name (original script)"),
        max_length=300,
        help_text=_("As the party writes it: 中文, Кириллица, العربية ..."),
    )
    name_latin = models.CharField(
        _("name (Latin script)"),
        max_length=300,
        blank=True,
        help_text=_("The English or transliterated name, if the original is not in Latin script."),
    )
    party_type = models.CharField(
        _("type"), max_length=32, choices=PartyType.choices, default=PartyType.CUSTOMER
    )
    is_individual = models.BooleanField(_("a natural person"), default=False)
    military_user = models.BooleanField(
        _("military user"),
        default=False,
        help_text=_(
            "Armed forces, a defence ministry or agency, a defence contractor or a military "
            "research institute. Read by the question on MOFCOM bans on military users."
        ),
    )
    country = CountryField(_("country"), blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    reference = models.CharField(
        _("customer or supplier number"),
        max_length=64,
        blank=True,
        help_text=_("The number in your ERP, if any."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    screening_status = models.CharField(
        _("screening status"),
        max_length=16,
        choices=ScreeningStatus.choices,
        default=ScreeningStatus.NOT_SCREENED,
        db_index=True,
    )
    last_screening = models.ForeignKey(
        "screening.Screening",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last screening"),
    )
    last_screened_at = models.DateTimeField(_("last screened"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["last_screening", "last_screened_at"], table_name="trade_historicalparty"
    )

    class Meta:
        db_table = "trade_party"
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=~Q(reference=""),
                name="trade_party_reference_unique",
            )
        ]
        indexes = [models.Index(fields=["organisation", "screening_status"])]

    def __str__(self):
        if self.name_latin and self.name_latin != self.name:
            return f"{self.name} ({self.name_latin})"
        return self.name

    def get_absolute_url(self):
        return reverse("parties:detail", args=[self.pk])

    @property
    def screening_names(self) -> list[str]:
        """Every name to screen: the original and the Latin form, without duplicates."""
        names = [self.name.strip()]
        if self.name_latin.strip() and self.name_latin.strip() != names[0]:
            names.append(self.name_latin.strip())
        return [name for name in names if name]
