"""Checklist templates: the reference library's audit questions as the standard template (one per
framework version), and organisations' own copies with added, reworded or disabled questions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.i18n import localised


class ChecklistTemplateQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The standard templates (shared by everyone) and the organisation's own copies."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))

    def for_organisation(self, organisation):
        return self.visible_to(organisation)


class ChecklistTemplate(models.Model):
    """A set of audit questions. `organisation` empty = the standard template of a framework
    version, built from the reference library and never edited by an organisation."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    framework = models.ForeignKey(
        "reference.ReferenceFramework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("framework version"),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    # Raised by every change to the questions: an audit generated from an older revision offers
    # an explicit regeneration.
    revision = models.PositiveIntegerField(_("revision"), default=1)
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

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["organisation_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(organisation__isnull=True),
                name="audits_one_standard_template_per_framework",
            ),
            models.UniqueConstraint(
                fields=["organisation", "name_zh"],
                condition=Q(organisation__isnull=False),
                name="audits_template_name_unique",
            ),
        ]

    def __str__(self):
        return localised(self, "name")

    def get_absolute_url(self):
        return reverse("audits:template_detail", args=[self.pk])

    @property
    def is_standard(self) -> bool:
        return self.organisation_id is None


class TemplateQuestion(models.Model):
    """One question of a template. Questions taken from the reference library keep their id
    (AQ-E1-01 ...), element, source and guidance; an organisation's own have a ref_id of its
    choice."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="questions"
    )
    reference_question = models.ForeignKey(
        "reference.AuditQuestion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reference question"),
    )
    ref_id = models.CharField(_("id"), max_length=30)
    element = models.ForeignKey(
        "reference.Element", on_delete=models.PROTECT, related_name="+", verbose_name=_("element")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    guidance_zh = models.TextField(_("guidance for the auditor (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance for the auditor (English)"), blank=True)
    source = models.CharField(_("source"), max_length=20, blank=True)
    basis = models.CharField(_("basis"), max_length=30, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("template question")
        verbose_name_plural = _("template questions")
        ordering = ["template", "element__order", "position", "ref_id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "ref_id"], name="audits_question_id_unique")
        ]

    def __str__(self):
        return self.ref_id

    @property
    def is_own(self) -> bool:
        return self.reference_question_id is None
