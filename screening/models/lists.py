"""Restricted-party lists: a list, its versions (one per import or manual change) and the
entities of each version. A version is a complete snapshot, never changed afterwards, so a
screening that names the versions it used can always be reproduced."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import localised
from screening.hooks import list_visibility_q

# What a hit on a foreign unilateral list means for a Chinese exporter (shown with every such hit).
FOREIGN_LAW_NOTE = _(
    "Foreign-law risk, not a prohibition under PRC law: relevant where the items contain "
    "foreign-origin content or technology. Review the transaction more closely. The Company does "
    "not implement or assist in implementing a foreign state's discriminatory restrictive measures "
    "(Anti-Foreign Sanctions Law, Art. 12), and reports to MOFCOM where a foreign measure "
    "restricts its normal trade (Rules on Counteracting Unjustified Extra-territorial "
    "Application of Foreign Legislation and Other Measures, MOFCOM Order 2021 No. 1)."
)


class ScreeningListQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """Public lists, the organisation's own private lists and those shared with it
        (screening.hooks)."""
        return self.filter(list_visibility_q(organisation))


class ScreeningList(models.Model):
    """A published or in-house list. `organisation` empty = public, shared by every
    organisation of the installation and maintained by superusers."""

    class Severity(models.TextChoices):
        BLOCK = "block", _("Prohibited: stop and review")
        RED_FLAG = "red_flag", _("Warning: enhanced review")

    class LegalCategory(models.TextChoices):
        """Which law a list carries: China's own lists and the UN lists MOFCOM implements are
        PRC law; a foreign state's unilateral list is a foreign-law risk, not a PRC prohibition."""

        PRC_LAW = "prc_law", _("PRC law")
        UN = "un", _("UN sanctions, as implemented by MOFCOM")
        FOREIGN_UNILATERAL = "foreign_unilateral", _("Foreign unilateral list: foreign-law risk")
        IN_HOUSE = "in_house", _("The company's own list")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Empty for public lists shared by every organisation."),
    )
    code = models.SlugField(_("code"), max_length=40, allow_unicode=False)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    effect_zh = models.TextField(_("effect of listing (Chinese)"), blank=True)
    effect_en = models.TextField(_("effect of listing (English)"), blank=True)
    legal_category = models.CharField(
        _("legal category"),
        max_length=20,
        choices=LegalCategory.choices,
        default=LegalCategory.PRC_LAW,
    )
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.BLOCK
    )
    severity_reason = models.TextField(
        _("reason for the severity"),
        blank=True,
        help_text=_(
            "Required when a foreign unilateral list is to be treated as prohibited: who decided, "
            "and why."
        ),
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    current_version = models.ForeignKey(
        "ListVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    is_active = models.BooleanField(_("used in screening"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScreeningListQuerySet.as_manager()
    # who set the severity and why reaches the event log (imports change only current_version)
    history = HistoricalRecords(excluded_fields=["current_version"])

    class Meta:
        verbose_name = _("screening list")
        verbose_name_plural = _("screening lists")
        ordering = ["organisation_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="screening_public_list_code_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"], name="screening_private_list_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    def get_absolute_url(self):
        return reverse("screening:list_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def effect(self) -> str:
        return localised(self, "effect")

    @property
    def is_public(self) -> bool:
        return self.organisation_id is None

    @property
    def is_foreign_law(self) -> bool:
        return self.legal_category == self.LegalCategory.FOREIGN_UNILATERAL

    @property
    def foreign_law_note(self) -> str:
        return str(FOREIGN_LAW_NOTE) if self.is_foreign_law else ""


class ListVersion(models.Model):
    """One snapshot of a list. `content_sha256` hashes the normalised entities, so importing the
    same content again (even re-encoded or re-ordered) is recognised and creates nothing."""

    class Source(models.TextChoices):
        ICP_CSV = "icp-csv", _("ICP CSV template")
        CSL_JSON = "csl-json", _("US Consolidated Screening List (JSON)")
        UN_XML = "un-xml", _("UN Security Council consolidated list (XML)")
        MANUAL = "manual", _("Entered by hand")

    screening_list = models.ForeignKey(
        ScreeningList, on_delete=models.PROTECT, related_name="versions", verbose_name=_("list")
    )
    number = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("source format"), max_length=16, choices=Source.choices)
    source_filename = models.CharField(_("file"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64)
    entity_count = models.PositiveIntegerField(_("entities"), default=0)
    diff = models.JSONField(
        _("changes from the previous version"),
        default=dict,
        blank=True,
        help_text=_('{"added": [...], "removed": [...], "changed": [...]} entity ids.'),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("list version")
        verbose_name_plural = _("list versions")
        ordering = ["screening_list", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening_list", "number"], name="screening_list_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.screening_list.code} v{self.number}"

    def get_absolute_url(self):
        return reverse("screening:version_detail", args=[self.pk])

    @property
    def change_counts(self) -> dict:
        return {key: len(self.diff.get(key, [])) for key in ("added", "removed", "changed")}


class EntityType(models.TextChoices):
    ENTITY = "entity", _("Entity")
    INDIVIDUAL = "individual", _("Individual")
    VESSEL = "vessel", _("Vessel")
    AIRCRAFT = "aircraft", _("Aircraft")


# The matching engine's own vocabulary for party types.
ENGINE_ENTITY_TYPES = {
    EntityType.ENTITY: "organization",
    EntityType.INDIVIDUAL: "person",
    EntityType.VESSEL: "vessel",
    EntityType.AIRCRAFT: "aircraft",
}


class ListedEntity(models.Model):
    """A listed party as it stands in one list version. Rows are copied into every version,
    so a version is complete on its own; `content_hash` tells whether an entity changed."""

    version = models.ForeignKey(
        ListVersion, on_delete=models.PROTECT, related_name="entities", verbose_name=_("version")
    )
    entity_id = models.CharField(_("entity id"), max_length=100)
    entity_type = models.CharField(
        _("entity type"), max_length=16, choices=EntityType.choices, default=EntityType.ENTITY
    )
    name = models.CharField(_("name"), max_length=500)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_('[{"text": "...", "weak": false}], in any script.'),
    )
    countries = models.JSONField(_("countries"), default=list, blank=True)
    addresses = models.JSONField(_("addresses"), default=list, blank=True)
    identifiers = models.JSONField(_("identifiers"), default=list, blank=True)
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("listed entity")
        verbose_name_plural = _("listed entities")
        ordering = ["version", "entity_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "entity_id"], name="screening_entity_unique_in_version"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.entity_id})"

    def get_absolute_url(self):
        return reverse("screening:entity_detail", args=[self.pk])

    @property
    def alias_texts(self) -> list[str]:
        return [alias["text"] for alias in self.aliases]
