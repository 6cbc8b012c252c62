"""E2 Compliance organisation: compliance bodies, positions and segregation-of-duties rules.

Bodies (a committee, the compliance department) form a tree; positions belong to a body, report
to another position and are held by a member (holder) with a deputy who stands in. Segregation of
duties is data: a rule either forbids one person to hold two positions, or forbids one person to
perform two duties on the same transaction (`reference.choices.Duty`, named by transaction approval;
trade asks `icp.receivers.segregation_of_duties_reasons` through its hook, trade/hooks.py).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles as role_sets
from accounts.models import OrganisationScopedModel
from core.i18n import localised
from core.registry import register_record
from reference.choices import Duty


class ComplianceBody(OrganisationScopedModel):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Committee")
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Team or working group")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("reports to (body)"),
    )
    mandate_zh = models.TextField(_("functions (Chinese)"), blank=True)
    mandate_en = models.TextField(_("functions (English)"), blank=True)
    meeting_frequency = models.CharField(
        _("meets"), max_length=120, blank=True, help_text=_("E.g. quarterly, and when needed.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compliance body")
        verbose_name_plural = _("compliance bodies")
        ordering = ["order", "name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name_zh"], name="compliance_body_name_unique"
            ),
        ]

    def __str__(self):
        return localised(self, "name")

    def get_absolute_url(self):
        return reverse("icp:compliance_body_detail", args=[self.pk])


class Position(OrganisationScopedModel):
    """A compliance role with its duties and authority, held by a member, with a deputy."""

    class Commitment(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")

    body = models.ForeignKey(
        ComplianceBody,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("compliance body"),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    is_head = models.BooleanField(
        _("heads the body"), default=False, help_text=_("Chair of a committee, head of a team.")
    )
    commitment = models.CharField(
        _("full- or part-time"),
        max_length=10,
        choices=Commitment.choices,
        default=Commitment.PART_TIME,
    )
    duties_zh = models.TextField(_("duties (Chinese)"), blank=True)
    duties_en = models.TextField(_("duties (English)"), blank=True)
    authority_zh = models.TextField(_("authority (Chinese)"), blank=True)
    authority_en = models.TextField(_("authority (English)"), blank=True)
    may_stop_exports = models.BooleanField(
        _("may stop any export"),
        default=False,
        help_text=_("Can put any questionable order or shipment on hold, whatever its value."),
    )
    may_consult_authority = models.BooleanField(_("may consult MOFCOM directly"), default=False)
    duty_codes = models.JSONField(
        _("transaction duties"),
        default=list,
        blank=True,
        help_text=_("What this position does on a transaction; checked by the SoD rules."),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("holder"),
    )
    holder_name = models.CharField(
        _("holder without an account"),
        max_length=120,
        blank=True,
        help_text=_("For a holder who does not use the workbench, e.g. 张伟 副总经理."),
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reports to"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compliance position")
        verbose_name_plural = _("compliance positions")
        ordering = ["body__order", "-is_head", "order", "title_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "body", "title_zh"], name="position_title_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(holder__isnull=True)
                | models.Q(deputy__isnull=True)
                | ~models.Q(holder=models.F("deputy")),
                name="position_deputy_not_holder",
            ),
        ]

    def __str__(self):
        return localised(self, "title")

    def get_absolute_url(self):
        return reverse("icp:position_detail", args=[self.pk])

    @property
    def holder_display(self) -> str:
        return str(self.holder) if self.holder_id else self.holder_name

    @property
    def duty_labels(self) -> list[str]:
        labels = dict(Duty.choices)
        return [str(labels.get(code, code)) for code in self.duty_codes]


class SodRule(OrganisationScopedModel):
    """A segregation-of-duties rule, identified by a stable code that other modules cite."""

    class Kind(models.TextChoices):
        POSITIONS = "positions", _("Two positions must not be held by the same person")
        DUTIES = "duties", _("Two duties must not be performed by the same person on a deal")

    code = models.SlugField(
        _("code"),
        max_length=80,
        help_text=_("Stable identifier, e.g. sales_approver_not_compliance_reviewer."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    rationale_zh = models.TextField(_("why (Chinese)"), blank=True)
    rationale_en = models.TextField(_("why (English)"), blank=True)
    position_a = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position"),
    )
    position_b = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incompatible position"),
    )
    duty_a = models.CharField(_("duty"), max_length=30, choices=Duty.choices, blank=True)
    duty_b = models.CharField(
        _("incompatible duty"), max_length=30, choices=Duty.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("segregation-of-duties rule")
        verbose_name_plural = _("segregation-of-duties rules")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="sod_rule_code_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="positions",
                        position_a__isnull=False,
                        position_b__isnull=False,
                        duty_a="",
                        duty_b="",
                    )
                    & ~models.Q(position_a=models.F("position_b"))
                )
                | (
                    models.Q(
                        kind="duties",
                        position_a__isnull=True,
                        position_b__isnull=True,
                    )
                    & ~models.Q(duty_a="")
                    & ~models.Q(duty_b="")
                    & ~models.Q(duty_a=models.F("duty_b"))
                ),
                name="sod_rule_shape",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {localised(self, 'name')}"

    def get_absolute_url(self):
        return reverse("icp:sod_rule_detail", args=[self.pk])

    @property
    def sides(self) -> tuple[str, str]:
        """The two incompatible things, as display strings."""
        if self.kind == self.Kind.POSITIONS:
            return str(self.position_a), str(self.position_b)
        return self.get_duty_a_display(), self.get_duty_b_display()


def _register() -> None:
    for model in (ComplianceBody, Position, SodRule):
        register_record(
            model,
            read_roles=role_sets.PROGRAMME_READERS,
            edit_roles=role_sets.PROGRAMME_EDITORS,
        )


_register()
