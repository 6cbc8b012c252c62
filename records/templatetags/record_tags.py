"""Template tags behind the shared attachments, comments and history panels.

They live in records (not core) because the attachments panel reads documents, and core sits
below records in the layers (pyproject.toml); the library name `record_tags` is unchanged.
"""

from django import template

from core.comments import comments_for
from core.history import history_entries
from core.registry import can_edit, record_label
from records.models import Document
from records.services import documents_for

register = template.Library()


@register.simple_tag
def record_key(obj) -> str:
    return record_label(obj)


@register.simple_tag(takes_context=True)
def record_can_edit(context, obj) -> bool:
    return can_edit(getattr(context["request"], "membership", None), obj)


@register.simple_tag
def documents_of(obj):
    return list(documents_for(obj))


@register.simple_tag
def comments_of(obj):
    return list(comments_for(obj))


@register.simple_tag
def history_of(obj, limit: int = 50):
    return history_entries(obj, limit=limit)


@register.simple_tag
def document_type_choices():
    return Document.Type.choices
