"""Template tags of the ICP manual (templates/pdf/manual/): one template, three languages.

The manual is rendered in Chinese, in English, or in both side by side. The context's
`manual_mode` says which; these tags print a label, a bilingual field or a choice label in that
mode, so the chapters are written once. Labels are written `{% tr _("Contents") %}`: the `_()`
constant keeps them in the message catalogue, and arrives here as a lazy string that can be
translated into either language. Placeholders are `{name}` (str.format), never `%(name)s`:
Django doubles `%` in template constants at run time, so they would not match the catalogue.
"""

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.i18n import joined, label_text_lazy, parenthesised_lazy

register = template.Library()

BILINGUAL = "bilingual"


def _in(language: str, value, params: dict) -> str:
    with translation.override(language):
        text = str(value)
    return text.format(**params) if params else text


def _pair(zh: str, en: str):
    """Chinese, then English (smaller, on its own line) unless they are the same."""
    if not en or en == zh:
        return zh
    if not zh:
        return format_html('<span class="en" lang="en">{}</span>', en)
    return format_html('{}<span class="en" lang="en">{}</span>', zh, en)


@register.simple_tag(takes_context=True)
def tr(context, label, **params):
    """A translated label (a lazy string) in the manual's language, or in both."""
    if context.get("manual_mode") == BILINGUAL:
        return _pair(_in("zh-hans", label, params), _in("en", label, params))
    return str(label).format(**params) if params else str(label)


@register.simple_tag(takes_context=True)
def tr_label(context, label):
    """A label and the colon before its value (`{% tr_label _("Address") %}{{ address }}`), in
    the manual's language and punctuation ("地址：", "Address: "), or in both."""
    return tr(context, label_text_lazy(label))


@register.simple_tag(takes_context=True)
def bi(context, obj, field):
    """`field_zh` / `field_en` of a record in the manual's language (falling back to the other),
    or both."""
    zh = getattr(obj, f"{field}_zh", "") or ""
    en = getattr(obj, f"{field}_en", "") or ""
    mode = context.get("manual_mode")
    if mode == BILINGUAL:
        return _pair(zh, en)
    return (en or zh) if mode == "en" else (zh or en)


@register.simple_tag(takes_context=True)
def choice(context, obj, field, aside=False):
    """The display label of a choice field, in the manual's language or both; with `aside`, in
    that language's parentheses, written right after the word it qualifies ("（委员会）",
    " (Committee)")."""
    value = getattr(obj, field)
    label = dict(obj._meta.get_field(field).flatchoices).get(value, value)
    return tr(context, parenthesised_lazy(label) if aside else label)


@register.simple_tag(takes_context=True)
def lazy(context, value):
    """A lazy label that is already an object (a TextChoices label, a selector's label)."""
    return tr(context, value)


@register.filter
def lines(text) -> list[str]:
    """Non-empty lines of a text (steps, contacts)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.simple_tag(takes_context=True)
def parallel(context, obj, field, html=False):
    """Prose of a record: one language, or Chinese and English in two columns side by side.

    With `html`, `obj.<field>_html(language)` gives the rendered text (the policy's Markdown).
    """
    mode = context.get("manual_mode")

    def text(suffix):
        if html:
            return obj.body_html(suffix)
        value = getattr(obj, f"{field}_{suffix}", "") or ""
        return format_html_paragraphs(value)

    if mode == BILINGUAL and text("en"):
        return format_html(
            '<table class="parallel"><tbody><tr><td lang="zh-hans">{}</td>'
            '<td lang="en">{}</td></tr></tbody></table>',
            text("zh"),
            text("en"),
        )
    if mode == BILINGUAL:
        return text("zh")
    first, second = ("en", "zh") if mode == "en" else ("zh", "en")
    return text(first) or text(second)


def format_html_paragraphs(value: str):
    paragraphs = [part.strip() for part in value.split("\n\n") if part.strip()]
    return mark_safe("".join(format_html("<p>{}</p>", p.replace("\n", " ")) for p in paragraphs))


@register.simple_tag(takes_context=True)
def audience(context, course):
    """Who must take a course, by training function: "销售、物流与报关" / "Sales, Logistics and
    customs" (the labels have no commas: the list separator, as in the DOCX); in a bilingual
    manual the Chinese list, then the English one."""
    from icp.models.training import AUDIENCE_CHOICES

    labels = dict(AUDIENCE_CHOICES)
    names = [labels.get(value, value) for value in course.audience]

    def one(language: str) -> str:
        with translation.override(language):
            return joined(names)

    mode = context.get("manual_mode")
    if mode == BILINGUAL:
        return _pair(one("zh-hans"), one("en"))
    return one("en" if mode == "en" else "zh-hans")


@register.simple_tag(takes_context=True)
def language_label(context, value):
    from icp.models import ManualLanguage

    return tr(context, ManualLanguage(value).label)


# ---- the structured content (icp/services/manual_content.py) --------------------------------


@register.simple_tag(takes_context=True)
def tx(context, value):
    """A content text (Label, Bilingual or plain) in the manual's language, or in both."""
    from icp.services.manual_content import text_pair

    first, second = text_pair(value, context.get("manual_mode"))
    return _pair(first, second) if second else first


@register.filter
def kind(block) -> str:
    """The kind of a content block: its class name, or the tag of a (tag, record) pair."""
    if isinstance(block, tuple):
        return block[0]
    return type(block).__name__.lower()


@register.filter
def record(block):
    """The record of a (tag, record) block."""
    return block[1] if isinstance(block, tuple) else None


@register.simple_tag(takes_context=True)
def side(context, text):
    """A one-field value written in both languages ("中文 / English"): the part in the manual's
    language, or the whole in a bilingual manual."""
    from icp.services.manual_content import split_bilingual

    mode = context.get("manual_mode")
    if mode == BILINGUAL:
        return text or ""
    parts = split_bilingual(text)
    return parts.en if mode == "en" else parts.zh


@register.simple_tag(takes_context=True)
def numbered(context, section, chapter=False):
    """A section's number and title as one heading: in a bilingual manual "附录 D 表单" with
    "Appendix D Forms" beside it (not "附录 D Appendix D 表单 Forms"); a plain number once
    (in a chapter heading, styled as the chapter number)."""
    from icp.services.manual_content import text_pair

    mode = context.get("manual_mode")
    title_first, title_second = text_pair(section.title, mode)
    if not section.number:
        return _pair(title_first, title_second) if title_second else title_first
    number_first, number_second = text_pair(section.number, mode)
    if not number_second:  # the same in both languages: "3"
        title = _pair(title_first, title_second) if title_second else title_first
        if chapter:
            return format_html('<span class="chapter-number">{}</span> {}', number_first, title)
        return format_html("{} {}", number_first, title)
    return _pair(f"{number_first} {title_first}", f"{number_second} {title_second}")
