"""The ICP reference library: the MOFCOM framework as versioned data.

Each import of a framework file is one `ReferenceFramework` version; its rows keep the stable ids
of the file (E1, E1-R1, RF-CN-01, AQ-E1-01 ...), so records linked to an older version keep their
links when a newer version is imported beside it.

The tables keep the names they had when these models lived in `icp` (`db_table`), so moving the
models into this app changed no table and no row (see migrations/0001_initial.py).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.i18n import localised


class Confidence(models.TextChoices):
    VERIFIED = "verified", _("Verified against the law text (paraphrase, unofficial translation)")
    SECONDARY = "secondary", _("From secondary sources (paraphrase, unofficial translation)")
    TEXT_2007 = "text_2007", _("From the 2007 predecessor guidance (wording may differ)")
    UNCERTAIN = "uncertain", _("Uncertain: check before relying on it")


class ReferenceFramework(models.Model):
    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    name_en = models.TextField(_("name (English)"))
    name_zh = models.TextField(_("name (Chinese)"))
    source_file = models.CharField(_("source file"), max_length=200)
    is_current = models.BooleanField(_("current version"), default=False)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    notes_zh = models.TextField(_("notes (Chinese)"), blank=True)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        db_table = "icp_referenceframework"
        verbose_name = _("reference framework")
        verbose_name_plural = _("reference frameworks")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(is_current=True), name="one_current_framework"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.version}"


class ReferenceSource(models.Model):
    framework = models.ForeignKey(
        ReferenceFramework, on_delete=models.CASCADE, related_name="sources"
    )
    key = models.CharField(_("key"), max_length=20)
    title = models.TextField(_("title"))
    reference = models.TextField(_("where to find it"))
    reliability = models.CharField(_("reliability"), max_length=20)

    class Meta:
        db_table = "icp_referencesource"
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="source_key_unique")
        ]
        ordering = ["key"]

    def __str__(self):
        return self.key


class Element(models.Model):
    """One of the nine ICP elements (E1..E9) in one framework version."""

    framework = models.ForeignKey(
        ReferenceFramework, on_delete=models.CASCADE, related_name="elements"
    )
    code = models.CharField(_("code"), max_length=4)
    order = models.PositiveSmallIntegerField(_("order"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    new_in_2021 = models.BooleanField(_("new in 2021"), default=False)
    frequency_en = models.TextField(_("frequency (English)"), blank=True)
    frequency_zh = models.TextField(_("frequency (Chinese)"), blank=True)

    class Meta:
        db_table = "icp_element"
        verbose_name = _("ICP element")
        verbose_name_plural = _("ICP elements")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="element_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {localised(self, 'name')}"

    def get_absolute_url(self):
        return reverse("icp:element_detail", args=[self.code])


class ReferenceItem(models.Model):
    """Common shape of the framework's bilingual, sourced statements."""

    framework = models.ForeignKey(ReferenceFramework, on_delete=models.CASCADE, related_name="+")
    ref_id = models.CharField(_("id"), max_length=30)
    text_en = models.TextField(_("text (English)"))
    text_zh = models.TextField(_("text (Chinese)"), blank=True)
    source = models.CharField(_("source"), max_length=20, blank=True)
    zh_official = models.BooleanField(_("official Chinese text"), default=False)

    class Meta:
        abstract = True
        ordering = ["ref_id"]

    def __str__(self):
        return self.ref_id


class Requirement(ReferenceItem):
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="requirements")
    article = models.CharField(_("legal provision"), max_length=100, blank=True)
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices)

    class Meta(ReferenceItem.Meta):
        db_table = "icp_requirement"
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="requirement_id_unique")
        ]


class LegalProvision(ReferenceItem):
    law = models.CharField(_("law"), max_length=20)
    article = models.CharField(_("article"), max_length=30)
    topic = models.CharField(_("topic"), max_length=40, blank=True)

    class Meta(ReferenceItem.Meta):
        db_table = "icp_legalprovision"
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="provision_id_unique")
        ]


class RedFlag(ReferenceItem):
    class Theme(models.TextChoices):
        # PRC statutory triggers are asked first whatever their theme (see `order`).
        SCREENING = "screening", _("Screening lists")
        END_USE = "end_use", _("End user and end use")
        DOCUMENTS = "documents", _("Certificates and documents")
        PRODUCT = "product", _("Item and configuration")
        AUTHORITY_CONTACT = "authority_contact", _("Requests from authorities")
        CUSTOMER = "customer", _("Customer")
        SHIPPING = "shipping", _("Shipping and delivery")
        DESTINATION = "destination", _("Destination")
        PAYMENT = "payment", _("Payment")

    class Severity(models.TextChoices):
        BLOCKING = "blocking", _("Blocking")
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")

    category = models.CharField(_("theme"), max_length=40, choices=Theme.choices)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Statutory triggers first, then by theme.")
    )
    merged_into = models.CharField(
        _("merged into"),
        max_length=30,
        blank=True,
        help_text=_("A near-duplicate no longer asked: the flag that asks the question now."),
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    legal_reference = models.CharField(
        pgettext_lazy("legal source", "reference"), max_length=200, blank=True
    )
    verified = models.BooleanField(_("verified source"), default=False)
    prefill = models.CharField(_("answered from data by"), max_length=60, blank=True)

    class Meta(ReferenceItem.Meta):
        db_table = "icp_redflag"
        ordering = ["order", "ref_id"]
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="redflag_id_unique")
        ]


class AuditQuestion(ReferenceItem):
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="audit_questions")
    basis = models.CharField(_("basis"), max_length=30, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_zh = models.TextField(_("guidance (Chinese)"), blank=True)

    class Meta(ReferenceItem.Meta):
        db_table = "icp_auditquestion"
        verbose_name = _("audit question")
        verbose_name_plural = _("audit questions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="auditquestion_id_unique")
        ]
