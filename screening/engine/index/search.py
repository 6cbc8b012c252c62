"""Searching: the candidates of a query scored slice by slice over one or several indexes,
with the country and entity type qualifiers of a listed party."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from ..model import DEFAULT_THRESHOLD, MATCH_THRESHOLD, REVIEW_FLOOR, Hit, ListEntity, Reason
from ..normalise import Token, decode_tokens
from ..score import QueryScorer
from .candidates import rank_candidates
from .keys import _ID_BITS, _ID_MASK, _query_name

if TYPE_CHECKING:
    from .match_index import MatchIndex

WEAK_ALIAS_SCORE = 0.9
COUNTRY_MATCH_BONUS = 0.03
COUNTRY_CONFLICT_PENALTY = 0.10
TYPE_CONFLICT_PENALTY = 0.10
# Territories treated as one for country agreement (neither bonus nor penalty between them).
RELATED_TERRITORIES = ({"CN", "HK", "MO"},)

# At most this many slices of ``max_candidates`` candidates are scored per query (search).
WIDEN_SLICES = 8
# A candidate scoring above this brings the other aliases of its party to be scored. Lower,
# the other aliases did not reach the review floor: of 19,767 candidates scoring 0.2 or less
# for 1,500 synthetic queries at 100,000 entities, none had an alias scoring 0.70 or more
# (bench/screening_recall_bench.py measures the recall with it); they were 44 % of the
# parties whose aliases were scored.
SIBLING_FLOOR = 0.2
# The extra slice of a name with hits also scores this many of the candidates the key ranking
# left out (``Ranking.below``): on the synthetic recall bench at 100,000 entities they brought
# the two alerts of 354 the ranking missed.
BELOW_RANKING = 10


def _same_surface(query: Sequence[Token], listed: Sequence[Token]) -> bool:
    return "".join(t.surface for t in query) == "".join(t.surface for t in listed)


def _qualifiers(entity: ListEntity, country: str | None, entity_type: str | None) -> list[Reason]:
    reasons = []
    if country and entity.countries:
        listed = tuple(c.upper() for c in entity.countries)
        if country in listed:
            reasons.append(Reason("country_match", {"country": country}, COUNTRY_MATCH_BONUS))
        elif any(country in group and set(listed) & group for group in RELATED_TERRITORIES):
            reasons.append(
                Reason("country_related", {"query": country, "listed": ",".join(listed)})
            )
        else:
            params = {"query": country, "listed": ",".join(listed)}
            reasons.append(Reason("country_conflict", params, -COUNTRY_CONFLICT_PENALTY))
    if entity_type and entity.entity_type and entity_type != entity.entity_type:
        params = {"query": entity_type, "listed": entity.entity_type}
        reasons.append(Reason("type_conflict", params, -TYPE_CONFLICT_PENALTY))
    return reasons


_NO_FLAGS = str.maketrans("", "", "^~")


def _written_like(indexes: Sequence[MatchIndex], query: Sequence[Token]):
    """A cheap likeness of a candidate alias to the query, for ordering candidates only: the
    similarity of their words sorted and joined (rapidfuzz's token sort ratio) over the
    stored form of the alias (its characters left in: an alias in Chinese ranks low here,
    its Latin aliases come with it as siblings)."""
    text = " ".join(t.latin for t in query)

    def likeness(composite: int) -> float:
        code = indexes[composite >> _ID_BITS]._alias_code[composite & _ID_MASK]
        return fuzz.token_sort_ratio(text, code.translate(_NO_FLAGS))

    return likeness


def search_many(
    indexes: Sequence[MatchIndex],
    name: str,
    country: str | None = None,
    entity_type: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    review_floor: float = REVIEW_FLOOR,
    match_threshold: float = MATCH_THRESHOLD,
    on: date | None = None,
) -> list[Hit]:
    """``MatchIndex.search`` over several indexes (the current version of each list) in one
    go: the name is normalised once and one candidate search ranks the aliases of all the
    indexes together, so the scorer sees the best candidates of the whole, not the best 40 of
    each index. Returns at most ``limit`` hits over all the indexes, best first; the hits and
    their reasons are those ``search`` gives in the index holding the party."""
    query = _query_name(name)
    if not query.tokens or not indexes:
        return []
    day = on.toordinal() if on is not None else 0
    floor = min(review_floor, threshold)
    country = country.upper() if country else None
    best: dict[tuple[int, int], tuple[float, int]] = {}
    decoded: dict[str, tuple[Token, ...]] = {}
    scored: set[int] = set()
    scorer = QueryScorer(query.tokens)

    def score(composite: int) -> float:
        """The alias's score with its entity's qualifiers (0 when it cannot be a hit; below
        the floor, the name's score alone)."""
        scored.add(composite)
        index = indexes[composite >> _ID_BITS]
        alias_id = composite & _ID_MASK
        slot = index._alias_entity[alias_id]
        if day and 0 < index._until[slot] <= day:
            return 0.0
        code = index._alias_code[alias_id]
        tokens = decoded.get(code)
        if tokens is None:
            tokens = decoded[code] = decode_tokens(code)
        if index._alias_weak[alias_id]:
            value = WEAK_ALIAS_SCORE if _same_surface(query.tokens, tokens) else 0.0
        else:
            value = scorer.compare(tokens)
        if value <= 0.0:
            return 0.0
        if value + COUNTRY_MATCH_BONUS < floor:
            return value  # no hit whatever the party's qualifiers: its record is not read
        entity = index._entities[slot]
        if entity is None:  # removed
            return 0.0
        value += sum(r.effect for r in _qualifiers(entity, country, entity_type))
        key = (composite >> _ID_BITS, slot)
        if value >= floor and value > best.get(key, (-1.0, 0))[0]:
            best[key] = (value, composite)
        return value

    # Candidates are scored ``max_candidates`` at a time, best-ranked first. A name shared
    # by many listed parties (a common Chinese personal name, a generic company name) fills
    # the first slice with hits; while a slice still finds hits in its lower half, the
    # next slice is scored too, up to WIDEN_SLICES slices. A candidate that scores above
    # SIBLING_FLOOR brings the other aliases of its party: the party's best alias is scored even
    # when its keys ranked it out (the Chinese name found, its pinyin alias not).
    step, late_hit = max(index.max_candidates for index in indexes), False
    ranking = rank_candidates(indexes, query.tokens, step * WIDEN_SLICES)
    candidates = ranking.ids

    def score_with_siblings(composite: int) -> float:
        value = score(composite)
        if value > SIBLING_FLOOR:
            shift = composite & ~_ID_MASK
            for sibling in indexes[composite >> _ID_BITS]._siblings(composite & _ID_MASK):
                if shift | sibling not in scored:
                    score(shift | sibling)
        return value

    stop = len(candidates)
    for position, composite in enumerate(candidates):
        if position and position % step == 0 and not late_hit:
            stop = position
            break
        if position % step == 0:
            late_hit = False
        if composite in scored:
            continue
        if score_with_siblings(composite) >= floor:
            late_hit = late_hit or position % step >= step // 2
    if best and stop < len(candidates):
        # The name has hits, and the ranking by keys stopped before its end: the rest of the
        # ranked candidates closest to the query as written (word order aside) get one more
        # slice. Names much like a hit often hold only common keys ("Yin Yanghong" for
        # "Kong Linyang": "hong" and "yinyang" are typo neighbours of the query's words).
        rest = [c for c in candidates[stop:] if c not in scored]
        closest = heapq.nlargest(step, rest, key=_written_like(indexes, query.tokens))
        # So do the best few the ranking left out, once their common keys are weighed too
        # ("Hangzhou Beijin Trading" for "Gangzhou Trading Beijing").
        for composite in closest + ranking.below(BELOW_RANKING):
            if composite not in scored:
                score_with_siblings(composite)
    ranked = sorted(best.values(), key=lambda item: -item[0])[:limit]
    return [
        indexes[composite >> _ID_BITS]._hit(
            query.tokens,
            query.legal_forms,
            composite & _ID_MASK,
            country,
            entity_type,
            threshold,
            match_threshold,
        )
        for _, composite in ranked
    ]
