"""Bilingual model fields: records keep `<field>_zh` and `<field>_en` side by side."""

from django.utils.translation import get_language


def current_language_suffix() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def localised(obj, field: str) -> str:
    """The value of `field` in the active language, falling back to the other language."""
    first, second = ("en", "zh") if current_language_suffix() == "en" else ("zh", "en")
    return getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "") or ""
