import hashlib
import os

import filetype
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from records.models import Document

MAX_UPLOAD_BYTES = 25 * 1024 * 1024

# Types recognised from the file's bytes (magic numbers), never from its name.
ALLOWED_BINARY_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/zip",
}
# Plain text has no magic number: accepted when it decodes as UTF-8 and is named as text.
TEXT_EXTENSIONS = {".txt": "text/plain", ".csv": "text/csv", ".eml": "message/rfc822"}


def detect_content_type(content: bytes, filename: str) -> str:
    """The content type read from the bytes; ValidationError when it is not an allowed one."""
    kind = filetype.guess(content)
    if kind is not None:
        if kind.mime not in ALLOWED_BINARY_TYPES:
            raise ValidationError(
                _("Files of type %(type)s are not accepted."), params={"type": kind.mime}
            )
        return kind.mime
    extension = os.path.splitext(filename)[1].lower()
    if extension in TEXT_EXTENSIONS:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("Text files must be encoded in UTF-8.")) from exc
        return TEXT_EXTENSIONS[extension]
    raise ValidationError(
        _("This file type is not accepted. Upload PDF, images, Office documents or text.")
    )


def document_attach(
    *, organisation, user, target, upload, document_type: str = "", description: str = ""
) -> Document:
    """Store an uploaded file as a document of `target` (a record of the same organisation).

    Checks size and type from the bytes and records the SHA-256; nothing is stored when a
    check fails. The document enters the retention index and the event log at once.
    """
    from .eventlog import event_log_append
    from .retention import retention_index_document

    if getattr(target, "organisation_id", None) != organisation.pk:
        raise ValidationError(_("This record belongs to another organisation."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB."), params={"limit": MAX_UPLOAD_BYTES >> 20}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    content = upload.read()
    mime_type = detect_content_type(content, upload.name)
    if document_type and document_type not in Document.Type.values:
        raise ValidationError(_("Unknown document type."))
    document = Document(
        organisation=organisation,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        document_type=document_type or Document.Type.OTHER,
        original_name=os.path.basename(upload.name)[:255],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        mime_type=mime_type,
        description=description[:300],
        uploaded_by=user,
    )
    with transaction.atomic():
        document.file.save(document.sha256, ContentFile(content), save=False)
        document.save()
        retention_index_document(document)
        event_log_append(
            organisation=organisation,
            actor=user,
            action="upload",
            target=document,
            details={
                "sha256": document.sha256,
                "size": document.size,
                "document_type": document.document_type,
                "attached_to": f"{document.content_type.app_label}.{document.content_type.model}"
                f":{document.object_id}",
            },
        )
    return document


def documents_for(target):
    return (
        Document.objects.filter(
            organisation_id=target.organisation_id,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
        )
        .select_related("uploaded_by")
        .order_by("-uploaded_at")
    )
