"""E3 Comprehensive compliance risk assessment: dated assessments, their risk registers, and the
destination risk reference data that transaction review uses.

An assessment is prepared by the compliance manager and approved by management (see
`RiskAssessment`). Each risk carries a stable `key` (R-001, R-002 ...) that stays the same when the
register is copied forward into the next assessment, so two assessments can be compared risk by
risk.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts import roles
from accounts.models import OrganisationScopedModel
from core.i18n import localised, parenthesised
from core.registry import register_record
from reference.choices import DestinationRiskLevel
from reference.models import Confidence

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskCategory(models.TextChoices):
    """The areas MOFCOM's guidance asks an exporter to assess (E3-R3, E3-R4)."""

    ITEMS_TECHNOLOGY = "items_technology", _("Items and technology")
    CUSTOMERS = "customers", _("Customers")
    DESTINATIONS = "destinations", _("Destinations")
    CHANNELS = "channels", _("Channels and intermediaries")
    END_USE = "end_use", _("End use")
    INTERNAL_CONTROLS = "internal_controls", _("Internal controls")


class RiskBand(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


def risk_band(score: int) -> RiskBand:
    """Band of a likelihood x impact score on the 5x5 matrix (1-4, 5-9, 10-14, 15-25)."""
    if score >= 15:
        return RiskBand.CRITICAL
    if score >= 10:
        return RiskBand.HIGH
    if score >= 5:
        return RiskBand.MEDIUM
    return RiskBand.LOW


# Bootstrap classes for a band's cell or badge on the heat map and in the register.
BAND_CSS = {
    RiskBand.LOW: "bg-success-subtle text-success-emphasis",
    RiskBand.MEDIUM: "bg-warning-subtle text-warning-emphasis",
    RiskBand.HIGH: "bg-danger-subtle text-danger-emphasis",
    RiskBand.CRITICAL: "bg-danger text-white",
}


class RiskAssessment(OrganisationScopedModel):
    """One dated assessment of the organisation's export-control risks.

    Approval is by management (the principal person in charge or a management member), not by the
    compliance manager who prepared it: MOFCOM's guidance asks that compliance resources and the
    depth of review be matched to the assessed risk level (E3-R2), and only management can commit
    those resources; it also keeps the assessor from approving their own work. Once approved the
    assessment and its register are frozen; the next one starts as a copy.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    title = models.CharField(_("title"), max_length=200)
    assessment_date = models.DateField(_("assessment date"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    scope_zh = models.TextField(_("scope (Chinese)"), blank=True)
    scope_en = models.TextField(_("scope (English)"), blank=True)
    conclusion_zh = models.TextField(_("conclusion (Chinese)"), blank=True)
    conclusion_en = models.TextField(_("conclusion (English)"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approval_note = models.TextField(_("approval note"), blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessment_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="risk_assessment_period_order",
                violation_error_message=_("The period must end on or after its first day."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="risk_assessment_approved_has_approver",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.assessment_date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("icp:risk_assessment_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED


class RiskFactor(OrganisationScopedModel):
    """One risk in an assessment's register."""

    assessment = models.ForeignKey(
        RiskAssessment,
        on_delete=models.CASCADE,
        related_name="risks",
        verbose_name=_("risk assessment"),
    )
    key = models.CharField(
        _("risk id"),
        max_length=12,
        help_text=_("Stays the same across assessments, so risks can be compared."),
    )
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    title_zh = models.CharField(_("risk (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("risk (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), validators=SCALE)
    impact = models.PositiveSmallIntegerField(_("impact"), validators=SCALE)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"), validators=SCALE
    )
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), validators=SCALE)
    mitigation_zh = models.TextField(_("mitigations (Chinese)"), blank=True)
    mitigation_en = models.TextField(_("mitigations (English)"), blank=True)
    controls = models.TextField(
        _("procedures and controls"),
        blank=True,
        help_text=_("The procedures and controls that mitigate this risk, one per line."),
    )
    courses = models.ManyToManyField(
        "icp.Course",
        blank=True,
        related_name="mitigated_risks",
        verbose_name=_("training courses"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[courses])

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["assessment", "key"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="risk_key_unique"),
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5)
                & models.Q(impact__gte=1, impact__lte=5)
                & models.Q(residual_likelihood__gte=1, residual_likelihood__lte=5)
                & models.Q(residual_impact__gte=1, residual_impact__lte=5),
                name="risk_scores_on_scale",
                violation_error_message=_("Likelihood and impact are rated from 1 to 5."),
            ),
            # Mitigations reduce a risk; they never make it worse than before them.
            models.CheckConstraint(
                condition=models.Q(residual_likelihood__lte=models.F("likelihood"))
                & models.Q(residual_impact__lte=models.F("impact")),
                name="risk_residual_not_above_inherent",
                violation_error_message=_(
                    "Residual likelihood and impact cannot be higher than before mitigation."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.key} {localised(self, 'title')}"

    def get_absolute_url(self):
        return reverse("icp:risk_factor_detail", args=[self.pk])

    @property
    def inherent_score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    @property
    def inherent_band(self) -> str:
        return risk_band(self.inherent_score)

    @property
    def residual_band(self) -> str:
        return risk_band(self.residual_score)

    @property
    def inherent_css(self) -> str:
        return BAND_CSS[self.inherent_band]

    @property
    def residual_css(self) -> str:
        return BAND_CSS[self.residual_band]

    @property
    def control_lines(self) -> list[str]:
        return [line.strip() for line in self.controls.splitlines() if line.strip()]


# What transaction review does at each level (from destination_risk_notes in the reference file).
DESTINATION_LEVEL_GUIDANCE = {
    DestinationRiskLevel.EMBARGO: _(
        "Country-wide UN measures. Hold the transaction; legal review and written approval "
        "before any export."
    ),
    DestinationRiskLevel.HIGH: _(
        "Targeted UN measures, disputed status, or a MOFCOM destination-specific ban. Enhanced "
        "end-user/end-use review; escalate to the compliance manager."
    ),
    DestinationRiskLevel.ELEVATED: _(
        "Known diversion or transhipment risk. Verify the end user, end use and onward "
        "destination; obtain a no-re-export undertaking."
    ),
}


class DestinationScope(models.TextChoices):
    COUNTRY_WIDE = "country_wide", _("Whole country")
    TARGETED = "targeted", _("Designated parties or regions")
    MILITARY_END_USE = "military_end_use", _("Military users and uses")
    TRANSIT_DIVERSION = "transit_diversion", _("Transhipment and diversion")


# Scopes that rest on foreign guidance (e.g. US/EU transhipment alerts), not on a PRC legal
# restriction: they form the foreign-law risk annex, apart from the UN embargoes MOFCOM
# implements and China's own measures, which come first.
FOREIGN_LAW_SCOPES = frozenset({DestinationScope.TRANSIT_DIVERSION})


class DestinationRiskQuerySet(models.QuerySet):
    def reference(self):
        return self.filter(organisation__isnull=True)

    def visible_to(self, organisation):
        """Reference rows plus the organisation's own additions and overrides."""
        return self.filter(
            models.Q(organisation__isnull=True) | models.Q(organisation=organisation)
        )

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)


class DestinationRisk(models.Model):
    """A destination that needs care in transaction review.

    Rows without an organisation are the reference list loaded from the framework file (the same
    for every organisation, never edited in the app). An organisation's compliance manager adds
    its own rows: a destination the reference list does not cover, or an override of a reference
    row (e.g. a stricter level); for that organisation its own row wins.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    country = CountryField(_("country or region"))
    level = models.CharField(_("risk level"), max_length=10, choices=DestinationRiskLevel.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=DestinationScope.choices)
    reason_zh = models.TextField(_("reason (Chinese)"), blank=True)
    reason_en = models.TextField(_("reason (English)"), blank=True)
    source = models.TextField(_("source"))
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices)
    as_of = models.DateField(_("as of"))
    is_active = models.BooleanField(
        _("in force"),
        default=True,
        help_text=_("Reference rows no longer in the framework file are kept but not applied."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DestinationRiskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("destination risk")
        verbose_name_plural = _("destination risks")
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=models.Q(organisation__isnull=True),
                name="destination_risk_reference_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "country"],
                condition=models.Q(organisation__isnull=False),
                name="destination_risk_organisation_unique",
            ),
        ]

    def __str__(self):
        return f"{self.country.name}{parenthesised(self.get_level_display())}"

    def get_absolute_url(self):
        return reverse("icp:destination_risk_detail", args=[self.pk])

    @property
    def is_foreign_law_risk(self) -> bool:
        """True for the foreign-law risk annex; False for a PRC legal restriction."""
        return self.scope in FOREIGN_LAW_SCOPES

    @property
    def is_reference(self) -> bool:
        return self.organisation_id is None

    @property
    def level_guidance(self) -> str:
        return DESTINATION_LEVEL_GUIDANCE.get(self.level, "")


register_record(
    RiskAssessment, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.PROGRAMME_EDITORS
)
register_record(RiskFactor, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.PROGRAMME_EDITORS)
# Only the organisation's own rows reach the registry (its lookups are organisation-scoped).
register_record(
    DestinationRisk, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.PROGRAMME_EDITORS
)
