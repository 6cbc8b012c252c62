"""Reference data as a person reads it: sources by name, PRC law by citation."""

from django import template

from reference.sources import source_citation as _source_citation

register = template.Library()


@register.filter
def source_citation(key, article: str = "") -> str:
    """{{ requirement.source|source_citation:requirement.article }}"""
    return _source_citation(key or "", article or "")
