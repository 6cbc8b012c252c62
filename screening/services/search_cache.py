"""A party's search results kept for the rest of the day, shared by every process (the default
cache: Redis in production).

An ERP connector screens the same customers order after order. What the engine finds for a
party depends only on what the key holds: the index files searched (by content hash), the
names, country and type asked, the organisation's threshold, the day (delistings apply from
their day) and the engine's own code. So a repeat within the day takes the answer found earlier
instead of searching again; everything after the search (the stored screening and its hits,
remembered decisions, notifications) is done for every screening as before.
"""

import datetime
import hashlib
import json
from functools import cache
from pathlib import Path

from django.core.cache import cache as default_cache
from django.utils import timezone

import screening.engine

PREFIX = "screening-search:"


@cache
def engine_fingerprint() -> str:
    """A hash of the engine's source: a deployment that changes how names are matched never
    serves an answer the previous code found."""
    digest = hashlib.sha256()
    root = Path(screening.engine.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def search_key(
    *, organisation_id, index_hashes, names, country, entity_type, threshold, today
) -> str:
    payload = [
        engine_fingerprint(),
        organisation_id,
        sorted(index_hashes),
        list(names),
        country or "",
        entity_type or "",
        round(float(threshold), 6),
        today.isoformat(),
    ]
    return PREFIX + hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def _seconds_left_today(today: datetime.date) -> int:
    midnight = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    return max(1, int((midnight - timezone.now()).total_seconds()))


def search_results_get(keys: list[str]) -> dict:
    """The results found earlier today, by key (absent keys: search again)."""
    return default_cache.get_many(keys) if keys else {}


def search_results_put(results: dict, *, today: datetime.date) -> None:
    """Keep the results until the end of ``today`` (local time)."""
    if results:
        default_cache.set_many(results, timeout=_seconds_left_today(today))
