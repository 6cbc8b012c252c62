from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.i18n import (
    clause_separator,
    duration_text,
    joined,
    label_text,
    list_separator,
    localised,
    parenthesised,
    semicolon_joined,
    semicolon_separator,
    sentences,
)

register = template.Library()


@register.filter
def loc(obj, field: str) -> str:
    """{{ element|loc:"name" }} -> name_zh or name_en, following the active language."""
    return localised(obj, field)


@register.filter
def duration(value) -> str:
    """{{ cooloff_timedelta|duration }} -> "1 hour" / "1 小时"."""
    return duration_text(value)


def _punctuated(context, punctuate, text):
    """`punctuate(text)` (core.i18n), escaped as the template escapes: the text alone when it
    is already safe HTML (a rendered block), the format's own marks always."""
    if not context.autoescape:
        return punctuate(text)
    marker = "\x00"  # fill the format with a marker, escape it, then put the escaped text in
    return mark_safe(
        str(conditional_escape(punctuate(marker))).replace(marker, str(conditional_escape(text)))
    )


@register.simple_tag(takes_context=True)
def label(context, text):
    """A label and the colon before its value, in the reader's punctuation:
    `{% label _("Deputy") %}{{ deputy }}` reads "Deputy: 王磊" in English and "副职（B角）：王磊"
    in Chinese. Write the value right after the tag: the space, if any, is part of the colon.
    Never write a literal ": " after a translated label (tests/core/test_label_punctuation.py)."""
    return _punctuated(context, label_text, text)


@register.simple_tag(takes_context=True)
def colon(context):
    """The colon after a label that is not a plain text (a link, an aside), in the reader's
    punctuation: `<a href="…">{{ ref }}</a>{% colon %}{{ text }}` reads "Q-1: text" in English
    and "Q-1：text" in Chinese. A plain label takes `{% label %}`."""
    return _punctuated(context, label_text, "")


@register.filter(name="sentences")
def sentences_filter(items) -> str:
    """{{ reasons|sentences }}: sentences one after the other, a space after an English full
    stop and none after a Chinese one (never `|join:" "`)."""
    return sentences(items)


@register.filter(name="joined")
def joined_filter(items) -> str:
    """{{ countries|joined }} -> "US, CN" / "US、CN": a list in the reader's punctuation (never
    `|join:", "`, tests/core/test_list_punctuation.py)."""
    return joined(items)


@register.simple_tag(takes_context=True)
def listsep(context):
    """What stands between the items of a list, in the reader's punctuation:
    `{% for c in countries %}{{ c.name }}{% if not forloop.last %}{% listsep %}{% endif %}
    {% endfor %}` reads "Egypt, Jordan" in English and "埃及、约旦" in Chinese. Never write a
    literal ", " between rendered items (tests/core/test_list_punctuation.py)."""
    return _separator(context, list_separator())


@register.filter(name="semicolon_joined")
def semicolon_joined_filter(items) -> str:
    """{{ citations|semicolon_joined }} -> "Export Control Law, Art. 12; Regulations, Art. 14" /
    "《出口管制法》第十二条；《条例》第十四条": a list whose items have commas of their own, in the
    reader's punctuation (never `|join:"; "` or `|join:"；"`)."""
    return semicolon_joined(items)


@register.simple_tag(takes_context=True)
def semicolon(context):
    """What stands between the items of a list whose items have commas of their own, in the
    reader's punctuation: "; " in English, "；" in Chinese (write the next item right after)."""
    return _separator(context, semicolon_separator())


@register.simple_tag(takes_context=True)
def comma(context):
    """What stands between the parts of an aside or a phrase, in the reader's punctuation:
    `{{ kind }}{% comma %}{% translate "valid until" %} {{ date }}` reads "General licence, valid
    until 2027-01-01" in English and "一般许可证，有效期至 2027-01-01" in Chinese (the space, if
    any, is part of it: write the next part right after the tag)."""
    return _separator(context, clause_separator())


def _separator(context, text):
    """A separator, escaped as the template escapes (a translation is plain text)."""
    return conditional_escape(text) if context.autoescape else text


@register.tag
def parens(parser, token):
    """An aside in the reader's parentheses: `{{ title }}{% parens %}{% translate "deputy" %}
    {% endparens %}` reads "Compliance officer (deputy)" in English and "合规负责人（副职（B角））"
    in Chinese. Write it right after the word it qualifies: the space, if any, is part of it.
    The block may hold anything (a loop, a label); it is rendered, then put in parentheses."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% parens %} takes no arguments")
    nodelist = parser.parse(("endparens",))
    parser.delete_first_token()
    return ParensNode(nodelist)


class ParensNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        inner = self.nodelist.render(context)
        if context.autoescape:
            inner = mark_safe(inner)  # the block's output is already escaped
        return _punctuated(context, parenthesised, inner)
