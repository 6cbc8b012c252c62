"""Bilingual model fields: records keep `<field>_zh` and `<field>_en` side by side."""

from django.utils.translation import get_language


def current_language_suffix() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def localised(obj, field: str) -> str:
    """The value of `field` in the active language, falling back to the other language."""
    first, second = ("en", "zh") if current_language_suffix() == "en" else ("zh", "en")
    return getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "") or ""


def duration_text(value) -> str:
    """A duration for people: "1 hour", "1 小时", "1 hour 30 minutes"; never "PT1H".

    Accepts a timedelta or a number of hours (settings such as AXES_COOLOFF_TIME are either).
    """
    from datetime import timedelta

    from django.utils.translation import ngettext

    if value is None or value == "":
        return ""
    if not isinstance(value, timedelta):
        value = timedelta(hours=float(value))
    minutes = round(value.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes or not parts:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def reader_sort_key(text) -> tuple:
    """Sort key for names in the reader's language: pinyin order for Chinese (阿富汗 before
    巴西 before 中国), alphabetical without accents for English ("Åland" with the A's)."""
    import unicodedata

    text = str(text).strip()
    if current_language_suffix() == "zh":
        from pypinyin import Style, lazy_pinyin

        syllables = lazy_pinyin(text, style=Style.TONE3, errors="default")
        return (" ".join(s.casefold() for s in syllables), text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return (folded.casefold(), text)


def install_country_sorting() -> None:
    """django-countries sorts its drop-downs with a module-level key that, without the optional
    pyuca, drops every non-ASCII letter, so Chinese names came out in code order. Every country
    drop-down (model fields and forms alike) iterates `countries`, which calls that key: point it
    at the reader's collation. Its per-language cache keeps one order per language."""
    import django_countries

    django_countries.sort_key = lambda item: reader_sort_key(item[1])
