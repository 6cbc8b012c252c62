"""China's Dual-Use Items Export Control List as reference data: one row per entry (or category
heading), searchable by code or keyword in Chinese and English, importable from CSV."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.i18n import localised

# digit (category 0-9) + letter A-E (item type) + three digits, optional sub-item suffix
# (icp/reference/mofcom-2021.yaml, dual_use_list.code_format).
CONTROL_CODE_PATTERN = re.compile(r"^[0-9][A-E][0-9]{3}(\.[a-z](\.[0-9]+)?)?$")
# A category heading is the single digit itself.
CATEGORY_PATTERN = re.compile(r"^[0-9]$")

STARTER_SET_LABEL = "starter set — verify against MOFCOM Announcement 2024 No. 51 before use"


def validate_control_code(value: str) -> None:
    if not (CONTROL_CODE_PATTERN.match(value or "") or CATEGORY_PATTERN.match(value or "")):
        raise ValidationError(
            _("%(value)s is not a control code (e.g. 1C351, 3C004.a) or a category digit."),
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
    code = models.CharField(_("control code"), max_length=20, validators=[validate_control_code])
    category = models.CharField(_("category"), max_length=1, db_index=True)
    is_heading = models.BooleanField(_("category heading"), default=False)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
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
