"""Documents: every file attached anywhere in the app.

A document's bytes and identity never change once stored: the model refuses to change them and
the queryset refuses bulk updates of them. Deleting one is refused by the retention guard
(`records.services.retention.retention_guard_delete`) unless an approved disposal is destroying
it after its retention period, outside any legal hold.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationQuerySet, OrganisationScopedModel
from core.i18n import joined

from .retention import RetentionError

# What identifies the stored file: never changed after upload. Only the description may be edited.
FROZEN_FIELDS = (
    "organisation_id",
    "content_type_id",
    "object_id",
    "document_type",
    "file",
    "original_name",
    "size",
    "sha256",
    "mime_type",
    "uploaded_by_id",
    "uploaded_at",
)


def document_upload_to(document, filename: str) -> str:
    # The stored name never comes from the user: the SHA-256 is unique enough and safe.
    return f"documents/{document.organisation_id}/{document.sha256[:2]}/{document.sha256}"


class DocumentQuerySet(OrganisationQuerySet):
    def update(self, **kwargs):
        frozen = {name.removesuffix("_id") for name in FROZEN_FIELDS}
        touched = sorted(frozen.intersection(name.removesuffix("_id") for name in kwargs))
        if touched:
            raise RetentionError(
                _("A stored document cannot be overwritten (%(fields)s)."),
                params={"fields": joined(touched)},
                code="document_frozen",
            )
        return super().update(**kwargs)

    def delete(self):
        from records.services.retention import retention_guard_delete

        for document in self:
            retention_guard_delete(document)
        return super().delete()


class Document(OrganisationScopedModel):
    """A file attached to a record. Its bytes are never replaced: a new file is a new document."""

    class Type(models.TextChoices):
        CONTRACT = "contract", _("Contract")
        INVOICE = "invoice", _("Invoice")
        END_USER_CERTIFICATE = "end_user_certificate", _("End-user/end-use certificate")
        END_USER_UNDERTAKING = "end_user_undertaking", _("End user's undertaking")
        LICENCE = "licence", _("Licence")
        CORRESPONDENCE = "correspondence", _("Business correspondence")
        POLICY = "policy", _("Policy document")
        TRAINING_MATERIAL = "training_material", _("Training material")
        EVIDENCE = "evidence", _("Evidence")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    document_type = models.CharField(
        _("document type"), max_length=32, choices=Type.choices, default=Type.OTHER
    )
    file = models.FileField(_("file"), upload_to=document_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mime_type = models.CharField(_("content type"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # Empty only for evidence sent with an anonymous incident report.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("records:document_download", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
            if stored is not None:
                changed = [
                    name
                    for name in FROZEN_FIELDS
                    if str(stored[name] or "") != str(getattr(self, name) or "")
                ]
                if changed:
                    raise RetentionError(
                        _("A stored document cannot be overwritten (%(fields)s)."),
                        params={"fields": joined(changed)},
                        code="document_frozen",
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from records.services.retention import retention_guard_delete

        retention_guard_delete(self)
        return super().delete(*args, **kwargs)
