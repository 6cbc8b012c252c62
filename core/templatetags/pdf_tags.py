"""Template tags for PDF templates (templates/pdf/)."""

import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def css_string(value) -> str:
    """`value` as a CSS string literal (quotes, backslashes and control characters escaped), for
    the `content` of @page margin boxes."""
    escaped = re.sub(
        r'[\\"\x00-\x1f\x7f<>]', lambda match: f"\\{ord(match.group()):x} ", str(value)
    )
    return mark_safe(f'"{escaped}"')


@register.simple_tag
def pdf_page_counter() -> str:
    """The CSS `content` value of the translated "Page x of y" footer, for an @page rule."""
    # Translators: the PDF footer; keep {page} and {pages}, they become page numbers.
    text = gettext("Page {page} of {pages}")
    parts = re.split(r"(\{page\}|\{pages\})", text)
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return mark_safe(" ".join(counters.get(part) or css_string(part) for part in parts if part))
