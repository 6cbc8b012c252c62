from django import template

from core.i18n import duration_text, localised

register = template.Library()


@register.filter
def loc(obj, field: str) -> str:
    """{{ element|loc:"name" }} -> name_zh or name_en, following the active language."""
    return localised(obj, field)


@register.filter
def duration(value) -> str:
    """{{ cooloff_timedelta|duration }} -> "1 hour" / "1 小时"."""
    return duration_text(value)
