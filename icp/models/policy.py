"""E1 Compliance policy statement: numbered versions and staff acknowledgements.

A version moves draft -> submitted -> approved (by management) -> published -> superseded. From
approval on its content is frozen: the model refuses any change to it, and a change is a new
version created from it (`icp.services.policy.policy_new_version_from`).
"""

import hashlib

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles as role_sets
from accounts.models import OrganisationScopedModel
from core.i18n import localised
from core.registry import register_record

# Markdown may produce these; anything else (scripts, styles, event handlers) is removed.
ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u",
    "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "code",
    "pre", "a", "sup", "sub", "dl", "dt", "dd",
}  # fmt: skip


def render_policy_markdown(text: str) -> SafeString:
    """Markdown -> HTML with only harmless tags and attributes left (nh3 is an allow-list)."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    # nh3 has just removed everything not on the allow-list.
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# A version in one of these states is being prepared; there is at most one at a time.
OPEN_STATUSES = (PolicyStatus.DRAFT, PolicyStatus.SUBMITTED, PolicyStatus.APPROVED)
# From approval on, what management signed may not change.
FROZEN_STATUSES = (PolicyStatus.APPROVED, PolicyStatus.PUBLISHED, PolicyStatus.SUPERSEDED)
# The fields that make up what is signed.
CONTENT_FIELDS = (
    "title_zh",
    "title_en",
    "body_zh",
    "body_en",
    "signatory_id",
    "signatory_name",
    "signatory_title",
    "effective_date",
    "review_due_date",
)


class PolicyVersion(OrganisationScopedModel):
    """One numbered version of the organisation's export-control compliance policy statement."""

    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("statement (Chinese)"), help_text=_("Markdown."))
    body_en = models.TextField(_("statement (English)"), blank=True, help_text=_("Markdown."))
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signatory (management user)"),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=120)
    signatory_title = models.CharField(
        _("signatory's title"),
        max_length=120,
        help_text=_("E.g. 总经理 / General Manager: the principal person in charge."),
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    review_due_date = models.DateField(_("review due"), null=True, blank=True)
    change_note = models.TextField(
        _("what changed and why"),
        blank=True,
        help_text=_("For the approver: the reason for this version."),
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approval_comment = models.TextField(_("approver's comment"), blank=True)
    content_sha256 = models.CharField(
        _("SHA-256 of the approved text"), max_length=64, blank=True, editable=False
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_comment = models.TextField(_("reason for return"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("superseded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy statement version")
        verbose_name_plural = _("policy statement versions")
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="policy_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status="published"),
                name="policy_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["draft", "submitted", "approved"]),
                name="policy_one_open_version",
            ),
            models.CheckConstraint(
                condition=models.Q(review_due_date__isnull=True)
                | models.Q(effective_date__isnull=True)
                | models.Q(review_due_date__gt=models.F("effective_date")),
                name="policy_review_after_effective",
                violation_error_message=_("The review must be due after the effective date."),
            ),
        ]

    def __str__(self):
        return f"v{self.number} {localised(self, 'title')}"

    def get_absolute_url(self):
        return reverse("icp:policy_version_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def body_html(self, language: str) -> SafeString:
        return render_policy_markdown(getattr(self, f"body_{language}"))

    @property
    def body_zh_html(self) -> SafeString:
        return self.body_html("zh")

    @property
    def body_en_html(self) -> SafeString:
        return self.body_html("en")

    def content_fingerprint(self) -> str:
        """SHA-256 of what is signed, so anyone can check the approved text never changed."""
        content = "\x1f".join(str(getattr(self, name) or "") for name in CONTENT_FIELDS)
        return hashlib.sha256(content.encode("utf-8")).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("status", *CONTENT_FIELDS, "number", "organisation_id")
                .first()
            )
            if stored and stored["status"] in FROZEN_STATUSES:
                changed = [
                    name
                    for name in (*CONTENT_FIELDS, "number", "organisation_id")
                    if stored[name] != getattr(self, name)
                ]
                if changed:
                    raise ValidationError(
                        _(
                            "Version %(number)s is approved and frozen; create a new version "
                            "to change it."
                        ),
                        params={"number": self.number},
                        code="frozen",
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != PolicyStatus.DRAFT:
            raise ValidationError(
                _("Only a draft may be deleted; this version is part of the record."),
                code="frozen",
            )
        return super().delete(*args, **kwargs)


class PolicyAcknowledgement(OrganisationScopedModel):
    """A member's "I have read and will comply" for one published version. Never changed."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("version"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="policy_acknowledgements",
        verbose_name=_("member"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), auto_now_add=True)
    language = models.CharField(_("language read"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("policy acknowledgement")
        verbose_name_plural = _("policy acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user"], name="policy_acknowledgement_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} · v{self.version.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An acknowledgement cannot be changed."), code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An acknowledgement cannot be deleted."), code="immutable")


def _register() -> None:
    register_record(
        PolicyVersion,
        read_roles=role_sets.PROGRAMME_READERS,
        edit_roles=role_sets.PROGRAMME_EDITORS,
    )


_register()
