"""Lists an organisation screens against that another organisation keeps.

Screening sits below the apps that share lists (chambers of commerce keep PRC lists for their
members), so it does not import them: such an app registers a source in its `ready()`. A source
takes the organisation and returns a queryset of the ids of the lists shared with it (used as a
subquery). Shared lists are read-only to the organisations they are shared with: only the
owning organisation manages them (screening.services.lists.list_can_manage)."""

from collections.abc import Callable

from django.db.models import Q, QuerySet

SharedListSource = Callable[[object], QuerySet]

_sources: list[SharedListSource] = []


def shared_list_source(source: SharedListSource) -> SharedListSource:
    """Register a source of lists shared with an organisation (idempotent)."""
    if source not in _sources:
        _sources.append(source)
    return source


def list_visibility_q(organisation, *, prefix: str = "") -> Q:
    """The lists the organisation sees: public ones, its own, and those shared with it.
    `prefix` reaches the list through a relation (e.g. "screening_list__")."""
    query = Q(**{f"{prefix}organisation__isnull": True}) | Q(
        **{f"{prefix}organisation": organisation}
    )
    if organisation is None:
        return query
    for source in _sources:
        query |= Q(**{f"{prefix}pk__in": source(organisation)})
    return query
