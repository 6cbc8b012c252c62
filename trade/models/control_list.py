"""China's Dual-Use Items Export Control List as reference data: one row per entry (or category
heading), searchable by code or keyword in Chinese and English, importable from CSV."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.i18n import localised

# digit (category 0-9) + letter A-E (item type) + three digits, then sub-items of any depth
# (3A001.a.1.a; reference/data/mofcom-2021.yaml, dual_use_list.code_format gives the start).
CONTROL_CODE_PATTERN = re.compile(r"^[0-9][A-E][0-9]{3}(\.[a-z0-9]{1,3})*$")
CONTROL_CODE_MAX_LENGTH = 40
# A customs commodity code: 8 digits (tariff line) or 10 (with the statistical suffix).
HS_CODE_PATTERN = re.compile(r"^[0-9]{8}([0-9]{2})?$")
# A category heading is the single digit itself.
CATEGORY_PATTERN = re.compile(r"^[0-9]$")

STARTER_SET_LABEL = "starter set — verify against MOFCOM Announcement 2024 No. 51 before use"
# The demo customs catalogue is a handful of made-up rows for the demonstration, not the
# catalogue's wording (shared/reference/law/README.md: no public copy was found).
CATALOGUE_DEMO_LABEL = "demo rows — not the official catalogue; import the edition in force"


def validate_control_code(value: str) -> None:
    if not (CONTROL_CODE_PATTERN.match(value or "") or CATEGORY_PATTERN.match(value or "")):
        raise ValidationError(
            _(
                "%(value)s is not a control code (e.g. 1C351, 3C004.a, 3A001.a.1.a) "
                "or a category digit."
            ),
            params={"value": value},
        )


class ControlListEntryQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The shared reference entries plus the organisation's own additions."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def search(self, query: str):
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(
            Q(code__istartswith=query)
            | Q(description_zh__icontains=query)
            | Q(description_en__icontains=query)
            | Q(keywords__icontains=query)
            | Q(parameters__icontains=query)
            | Q(hs_codes__icontains=query)
        )


class ControlListEntry(models.Model):
    """An entry of the control list. Rows without an organisation are shared reference data
    (imported with `import_control_list`); an organisation may add its own verified entries."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Empty for the reference list shared by every organisation."),
    )
    code = models.CharField(
        _("control code"), max_length=CONTROL_CODE_MAX_LENGTH, validators=[validate_control_code]
    )
    category = models.CharField(_("category"), max_length=1, db_index=True)
    is_heading = models.BooleanField(_("category heading"), default=False)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    parameters = models.TextField(
        _("technical parameters"),
        blank=True,
        help_text=_("The thresholds of the entry, as the list states them."),
    )
    control_reason = models.CharField(_("control reason"), max_length=200, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Extra search words, any language.")
    )
    hs_codes = models.CharField(
        _("reference HS codes"), max_length=200, blank=True, help_text=_("Separated by spaces.")
    )
    announcement = models.CharField(_("announcement"), max_length=200, blank=True)
    source_label = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the entry comes from, e.g. the starter set or the official list."),
    )
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ControlListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("control list entry")
        verbose_name_plural = _("control list entries")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="trade_control_entry_reference_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=Q(organisation__isnull=False),
                name="trade_control_entry_org_unique",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.description}"[:120]

    def save(self, *args, **kwargs):
        self.category = (self.code or " ")[0]
        self.is_heading = bool(CATEGORY_PATTERN.match(self.code or ""))
        super().save(*args, **kwargs)

    @property
    def description(self) -> str:
        return localised(self, "description")

    @property
    def is_starter_set(self) -> bool:
        return self.source_label == STARTER_SET_LABEL


class ReferenceListKind(models.TextChoices):
    CONTROL_LIST = "control_list", _("Control list")
    CUSTOMS_CATALOGUE = "customs_catalogue", _("Customs catalogue of dual-use items")


class ControlListVersion(models.Model):
    """One import of the whole control list or customs catalogue: what the file held, and what
    changed from the previous import. The entries themselves are the current state; an entry the
    new file no longer holds is set out of force, never deleted."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Empty for the reference data shared by every organisation."),
    )
    kind = models.CharField(_("list"), max_length=20, choices=ReferenceListKind.choices)
    number = models.PositiveIntegerField(_("version"))
    edition = models.CharField(_("edition"), max_length=60, blank=True)
    source_filename = models.CharField(_("file"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64)
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    diff = models.JSONField(
        _("changes from the previous version"),
        default=dict,
        blank=True,
        help_text=_('{"added": [...], "removed": [...], "changed": [...]} codes.'),
    )
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
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=Q(organisation__isnull=True),
                name="trade_reference_list_version_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "kind", "number"],
                condition=Q(organisation__isnull=False),
                name="trade_org_list_version_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.number}"

    @property
    def change_counts(self) -> dict:
        return {key: len(self.diff.get(key, [])) for key in ("added", "removed", "changed")}

    @property
    def is_sample(self) -> bool:
        """The starter set or the demo catalogue rows shipped with the app."""
        return self.edition in (STARTER_SET_LABEL, CATALOGUE_DEMO_LABEL)


class CustomsCatalogueEntry(models.Model):
    """A line of the customs catalogue (两用物项和技术进出口许可证管理目录): an HS code that
    customs checks for a dual-use licence, with the control codes it relates to."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Empty for the reference data shared by every organisation."),
    )
    hs_code = models.CharField(_("HS code"), max_length=10)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    control_codes = models.CharField(
        _("related control codes"), max_length=300, blank=True, help_text=_("Separated by spaces.")
    )
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)
    edition = models.CharField(_("edition"), max_length=60, blank=True)
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customs catalogue entry")
        verbose_name_plural = _("customs catalogue entries")
        ordering = ["hs_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["hs_code"],
                condition=Q(organisation__isnull=True),
                name="trade_catalogue_reference_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "hs_code"],
                condition=Q(organisation__isnull=False),
                name="trade_catalogue_org_unique",
            ),
        ]

    def __str__(self):
        return f"{self.hs_code} {self.description}"[:120]

    @property
    def description(self) -> str:
        return localised(self, "description")

    @property
    def is_demo(self) -> bool:
        return self.source_label == CATALOGUE_DEMO_LABEL
