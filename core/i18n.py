"""Words for the reader: bilingual model fields (records keep `<field>_zh` and `<field>_en` side
by side), durations, sorting, and the punctuation around a label or an aside and between the
items of a list.

Chinese punctuates with full-width marks: a label is "副职（B角）：王磊" (full-width colon, no space
after it), an aside is "合规负责人（副职（B角））". Text built from a translated label and a value
therefore never writes ": " or " (...)" itself: templates use `{% label %}` and `{% parens %}`
(core/templatetags/icp_tags.py), Python uses `label_text`, `labelled` and `parenthesised` below.
The items of a list are "埃及、约旦" (the enumeration comma) and the parts of an aside
"一般许可证，有效期至 2027-01-01" (the full-width comma), never ", ": templates use `{% listsep %}`
and `{% comma %}`, Python `joined`, `list_separator` and `clause_separator`. A list whose items
have commas of their own ("Export Control Law, Art. 12; Regulations, Art. 14") is separated by
the reader's semicolon ("；" in Chinese), never "; ": `{% semicolon %}` and `|semicolon_joined`,
Python `semicolon_separator` and `semicolon_joined`. The formats are
translated once, so there is one rule for every page, PDF and message.
"""

from django.utils.functional import lazy
from django.utils.translation import get_language, pgettext


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


def label_text(label) -> str:
    """`label` and the colon before its value, in the reader's punctuation: "Deputy: " in English,
    "副职（B角）：" in Chinese (the space, if any, is part of it: write the value right after)."""
    # Translators: a label before its value ("Deputy: Wang Lei"). Chinese: "%(label)s：" (the
    # full-width colon, no space after it).
    return pgettext("label before its value", "%(label)s: ") % {"label": label}


label_text_lazy = lazy(label_text, str)


def labelled(label, value) -> str:
    """ "Deputy: Wang Lei" / "副职（B角）：王磊"."""
    return f"{label_text(label)}{value}"


def parenthesised(text) -> str:
    """`text` as an aside after other words, in the reader's parentheses: " (deputy)" in English
    (with the space before it), "（副职（B角））" in Chinese (full-width, no space). Write it right
    after the word it qualifies."""
    # Translators: words in parentheses after other words ("Compliance officer (deputy)"), with
    # the space before them. Chinese: "（%(text)s）" (full-width parentheses, no space before).
    return pgettext("aside in parentheses", " (%(text)s)") % {"text": text}


parenthesised_lazy = lazy(parenthesised, str)


def list_separator() -> str:
    """What stands between the items of a list ("Egypt, Jordan"): ", " in English, "、" in
    Chinese ("埃及、约旦")."""
    # Translators: between the items of a list ("Egypt, Jordan"), with the space after it.
    # Chinese: "、" (the enumeration comma, no space).
    return pgettext("between the items of a list", ", ")


def joined(items) -> str:
    """`items` (str of each) as a list in the reader's punctuation: "A, B, C" / "A、B、C"."""
    return list_separator().join(str(item) for item in items)


def clause_separator() -> str:
    """What stands between the parts of an aside or a phrase ("General licence, valid until
    2027-01-01"): ", " in English, "，" in Chinese ("一般许可证，有效期至 2027-01-01")."""
    # Translators: between the parts of an aside or a phrase ("General licence, valid until
    # 2027-01-01"), with the space after it. Chinese: "，" (the full-width comma, no space).
    return pgettext("between the parts of an aside", ", ")


def semicolon_separator() -> str:
    """What stands between the items of a list whose items have commas (or clauses) of their own
    ("Export Control Law, Art. 12; Regulations, Art. 14"): "; " in English, "；" in Chinese.
    A list of plain words takes `list_separator` instead."""
    # Translators: between the items of a list whose items have commas of their own ("Export
    # Control Law, Art. 12; Regulations, Art. 14"), with the space after it. Chinese: "；" (the
    # full-width semicolon, no space).
    return pgettext("between list items that have commas", "; ")


def semicolon_joined(items) -> str:
    """`items` (str of each) separated by the reader's semicolon: "A, 1; B, 2" / "A，1；B，2"."""
    return semicolon_separator().join(str(item) for item in items)


def sentences(items) -> str:
    """Sentences one after the other: a space after an English full stop ("Only a compliance
    manager approves. Prepared it."), none after a Chinese one ("只有合规经理审批。由其编制。")."""
    text = ""
    for item in map(str, items):
        if text and item:
            text += "" if text[-1] in "。！？；：）」』" else " "
        text += item
    return text
