"""The engine index for each list version, built once per process and reused.

A list version never changes, so its index never goes stale: a screening reads which versions
are current (one query, the "version stamp") and builds only the indexes it does not have yet.
Searching several per-version indexes and merging the hits keeps public lists, which every
organisation uses, built once instead of once per organisation.
"""

import threading
from collections import OrderedDict

from django.db.models import Q
from django.utils import timezone

from screening.engine import Alias, ListEntity, MatchIndex
from screening.models import ListedEntity, ListVersion, ScreeningList
from screening.models.lists import ENGINE_ENTITY_TYPES

MAX_CACHED_VERSIONS = 64

_lock = threading.Lock()
_cache: OrderedDict[tuple, MatchIndex] = OrderedDict()


def current_versions(organisation) -> list[ListVersion]:
    """The current version of every active list the organisation sees (public + its own)."""
    lists = (
        ScreeningList.objects.visible_to(organisation)
        .filter(is_active=True, current_version__isnull=False)
        .select_related("current_version__screening_list")
        .order_by("code")
    )
    return [screening_list.current_version for screening_list in lists]


def _engine_entity(entity: ListedEntity) -> ListEntity:
    names = [Alias(entity.name)]
    names += [Alias(a["text"], weak=bool(a.get("weak"))) for a in entity.aliases if a.get("text")]
    return ListEntity(
        key=str(entity.pk),
        names=tuple(names),
        entity_type=ENGINE_ENTITY_TYPES.get(entity.entity_type),
        countries=tuple(entity.countries),
    )


def version_index(version: ListVersion) -> MatchIndex:
    """The index of a version's entities still in force today (delisted ones are left out)."""
    today = timezone.localdate()
    # The content hash and time guard against a reused id (SQLite reuses rolled-back ids).
    key = (version.pk, version.content_sha256, version.created_at, today)
    with _lock:
        index = _cache.get(key)
        if index is not None:
            _cache.move_to_end(key)
            return index
    entities = (
        ListedEntity.objects.filter(version=version)
        .filter(Q(delisted_on__isnull=True) | Q(delisted_on__gt=today))
        .only("pk", "name", "aliases", "entity_type", "countries")
        .iterator(chunk_size=5000)
    )
    index = MatchIndex.build(_engine_entity(e) for e in entities)
    with _lock:
        _cache[key] = index
        while len(_cache) > MAX_CACHED_VERSIONS:
            _cache.popitem(last=False)
    return index


def index_cache_clear() -> None:
    with _lock:
        _cache.clear()
