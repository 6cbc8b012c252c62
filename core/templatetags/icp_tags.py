from django import template

from core.i18n import localised

register = template.Library()


@register.filter
def loc(obj, field: str) -> str:
    """{{ element|loc:"name" }} -> name_zh or name_en, following the active language."""
    return localised(obj, field)
