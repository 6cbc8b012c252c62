"""What a bundle is made of: records and their sections, the scope registry, formatting."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.exports import local_minute_text
from records.models import Document


@dataclass
class BundleSection:
    title: str
    facts: list = field(default_factory=list)  # [(label, value)]
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [[cell, ...]]
    empty: str = ""


@dataclass
class BundleRecord:
    title: str
    kind: str
    sections: list[BundleSection] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


_SCOPES: dict[str, Callable] = {}


def bundle_scope(name: str):
    def decorator(func):
        _SCOPES[name] = func
        return func

    return decorator


def bundle_scopes() -> list[str]:
    return list(_SCOPES)


def _fmt(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return local_minute_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _documents_of(obj) -> list[Document]:
    return list(
        Document.objects.filter(
            organisation_id=obj.organisation_id,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
        )
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def _document_section(documents) -> BundleSection:
    return BundleSection(
        title=_("Documents"),
        headers=[_("File"), _("Type"), _("Uploaded"), pgettext("uploaded by", "By"), "SHA-256"],
        rows=[
            [
                d.original_name,
                d.get_document_type_display(),
                _fmt(d.uploaded_at),
                _fmt(d.uploaded_by),
                d.sha256,
            ]
            for d in documents
        ],
        empty=_("No documents."),
    )
