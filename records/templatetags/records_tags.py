from django import template

from records.models import Document
from records.selectors import record_type_name

register = template.Library()


@register.filter
def record_type_label(label: str) -> str:
    """ "icp.incident" -> "Incident" (in the active language)."""
    return record_type_name(label)


@register.filter
def document_type_label(value: str) -> str:
    try:
        return Document.Type(value).label
    except ValueError:
        return value
