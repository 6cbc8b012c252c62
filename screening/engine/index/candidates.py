"""Candidate search: the listed aliases a query reaches before scoring, ranked by summed
IDF over one or several indexes, with the recall rules for long joined words
(``split_joined``, ``_joined_with_generic``)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import OSA

from ..normalise import LOW_WEIGHT_WORDS, Token
from ..score import edit_budget
from .keys import _ID_BITS, _ID_MASK, _query_hash, name_keys
from .segments import WHOLE_NAME_EDITS, query_name_probes

if TYPE_CHECKING:
    from .match_index import MatchIndex

# A query word this long may be two words joined ("Viokurktechnology"): it is split at a
# generic word or a vocabulary word it opens or closes with, and the other part is looked up
# as a word of its own, typo neighbours included (``split_joined``).
MIN_SPLIT_WORD = 10
MIN_SPLIT_PART = 4
SPLIT_PART_FACTOR = 0.9
_GENERIC_PARTS = frozenset(w for w in LOW_WEIGHT_WORDS if len(w) >= MIN_SPLIT_PART)


def split_joined(word: str, indexes: Sequence[MatchIndex]) -> set[str]:
    """The parts of a long joined word split once where one side is a generic word
    ("viokurk" + "technology", "hangzhou" + "huanjingbai") or a word of an index's
    vocabulary ("crefu" + "composites"): both sides, each at least four letters. A word that
    is itself in a vocabulary is left whole."""
    if any(index._in_vocabulary(word) for index in indexes):
        return set()
    parts: set[str] = set()
    for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
        head, tail = word[:cut], word[cut:]
        if head in _GENERIC_PARTS or tail in _GENERIC_PARTS:
            parts.update((head, tail))
            continue
        for index in indexes:
            if index._in_vocabulary(head) or index._in_vocabulary(tail):
                parts.update((head, tail))
                break
    return parts


# The listed aliases holding a generic word that a joined query word opens or closes with are
# read when the word has fewer than this many of them in an index (see ``_joined_with_generic``).
MAX_GENERIC_SCAN = 20_000


def _joined_with_generic(indexes: Sequence[MatchIndex], tokens: Sequence[Token]) -> set[int]:
    """Aliases where a generic word and the word next to it, joined, are within the scorer's
    edit budget of a long query word that is a brand joined to that generic word:
    "Crefucomposites" ~ "Skefu Composites" (two edits in fifteen letters, which the scorer
    allows), whose brands are too far apart for the typo neighbours of "crefu". The aliases
    holding the generic word are read (at most MAX_GENERIC_SCAN per index); ids as in
    ``rank_candidates``."""
    found: set[int] = set()
    for token in tokens:
        word = token.latin
        if token.han or len(word) < MIN_SPLIT_WORD:
            continue
        budget = edit_budget(len(word))
        for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
            head, tail = word[:cut], word[cut:]
            generic, before = (tail, True) if tail in _GENERIC_PARTS else (head, False)
            if generic not in _GENERIC_PARTS:
                continue
            for number, index in enumerate(indexes):
                ids = index._lookup(generic)
                if len(ids) > MAX_GENERIC_SCAN:
                    continue
                shift = number << _ID_BITS
                for alias_id in ids:
                    words = [w.lstrip("^~") for w in index._alias_code[alias_id].split()]
                    for j, listed in enumerate(words):
                        if listed != generic:
                            continue
                        k = j - 1 if before else j + 1
                        if not 0 <= k < len(words):
                            continue
                        joined = words[k] + generic if before else generic + words[k]
                        if (
                            abs(len(joined) - len(word)) <= budget
                            and OSA.distance(word, joined, score_cutoff=budget) <= budget
                        ):
                            found.add(shift | alias_id)
    return found


_NO_MARKS = str.maketrans("", "", "^~ ")


def _whole_name_matches(indexes: Sequence[MatchIndex], tokens: Sequence[Token]) -> set[int]:
    """Aliases whose Latin words joined are two edits or fewer from the query's, both 20
    letters or more (``score.whole_name``: "Shan ghai Yonghong Trading" ~ "Shanghai Dongzhong
    Trading", where no word of the brand is a typo neighbour of the other): found through
    their segment keys, each checked by edit distance; ids as in ``rank_candidates``."""
    if any(token.han for token in tokens):
        return set()
    joined = "".join(token.latin for token in tokens)
    probes = query_name_probes(joined)
    found: set[int] = set()
    for number, index in enumerate(indexes):
        shift = number << _ID_BITS
        checked: set[int] = set()
        for ids in index._lookup_many(probes):
            for alias_id in ids.tolist():
                if alias_id in checked:
                    continue
                checked.add(alias_id)
                listed = index._alias_code[alias_id].translate(_NO_MARKS)
                if (
                    abs(len(listed) - len(joined)) <= WHOLE_NAME_EDITS
                    and OSA.distance(joined, listed, score_cutoff=WHOLE_NAME_EDITS)
                    <= WHOLE_NAME_EDITS
                ):
                    found.add(shift | alias_id)
    return found


def _best(scores: dict[int, float], count: int) -> list[tuple[int, float]]:
    """The ``count`` best-scored items, as ``heapq.nlargest`` gives them (ties in insertion
    order); a sort in C is faster for the few thousand items a query has, the heap beyond."""
    if len(scores) > 5000:
        return heapq.nlargest(count, scores.items(), key=itemgetter(1))
    return sorted(scores.items(), key=itemgetter(1), reverse=True)[:count]


def _summed(segments: list[np.ndarray], weights: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Each id of ``segments`` once, in the order first met, with the sum of the weights of
    the segments holding it: the dictionary ``scores[id] = scores.get(id, 0.0) + weight``
    builds, segment after segment, with the same sums to the last bit (each id's weights are
    added in the same order), computed in C."""
    ids = np.concatenate(segments) if segments else _NONE
    if not len(ids):
        return _NONE, np.zeros(0)
    weight = np.repeat(weights, [len(segment) for segment in segments])
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    sums = np.bincount(np.cumsum(first) - 1, weight[order])
    met = np.argsort(order[starts])
    return ordered[starts][met], sums[met]


def _top(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` largest values, largest first, ties in order (``_best``)."""
    return np.argsort(-values, kind="stable")[:count]


# The candidates left out of a ranking are weighed again on request (``Ranking.below``): the
# best of them by their rare keys, up to this many times the ranked ones, with the rarest few
# common keys (those that can lift an alias: the rest weigh little and cost the most).
BELOW_POOL = 4
BELOW_COMMON_KEYS = 4
_NONE = np.zeros(0, dtype=np.uint32)


@dataclass(frozen=True, eq=False)
class Ranking:
    """The ranked candidates of a query (``ids``) and what ``below`` needs to find the best of
    those the ranking left out: every candidate and its rare-key score before the cut
    (``seeded``, ``seeded_scores``, in the order found), the candidates past it (``kept``), the
    query's common keys and how many to look at (``pool``; none when the ranking left nothing
    out). Compared and hashed as itself: its arrays have no truth value to compare by."""

    ids: list[int]
    seeded: np.ndarray = field(default_factory=lambda: _NONE)
    seeded_scores: np.ndarray = field(default_factory=lambda: _NONE)
    kept: Container[int] = ()
    common: Sequence = ()
    total: int = 1
    pool: int = 0

    def below(self, count: int) -> list[int]:
        """The ``count`` best candidates outside ``ids``, all keys weighed: aliases whose rare
        keys ranked them just out but whose common keys would have ranked them in ("Hangzhou
        Beijin Trading" for "Gangzhou Trading Beijing", out-ranked by 171 aliases sharing
        "Beijing ... Trading" before "hangzhou", a typo neighbour too common to seed, counted).
        Worked out only when asked: ``search_many`` asks when it looks past the ranking."""
        if not self.pool:
            return []
        values = self.seeded_scores
        # The pool-th best value (all of them when fewer).
        at = len(values) - min(len(values), self.pool)
        held = values >= np.partition(values, at)[at]
        weighed = {
            c: v
            for c, v in zip(self.seeded[held].tolist(), values[held].tolist(), strict=True)
            if c not in self.kept
        }
        _weigh_common(weighed, self.common[:BELOW_COMMON_KEYS], self.total)
        return [composite for composite, _ in _best(weighed, count)]


def rank_candidates(indexes: Sequence[MatchIndex], tokens: Sequence[Token], limit: int) -> Ranking:
    """One candidate search over several indexes (one per list version): the aliases sharing
    keys with the query, best summed IDF first (document frequencies summed over the indexes),
    at most ``limit``. An id is ``index number << 24 | alias id`` (the alias id itself for the
    first index)."""
    keys = dict.fromkeys(name_keys(tokens), 1.0)
    for token in tokens:
        if not token.han and len(token.latin) >= MIN_SPLIT_WORD:
            for part in split_joined(token.latin, indexes):
                keys.setdefault(part, SPLIT_PART_FACTOR)
    # The query's own long words also reach words two or three edits away (segment keys).
    words = {token.latin for token in tokens if not token.han}
    near = [
        (key, key in words) for key in keys if len(key) >= 4 and key.isalnum() and key.isascii()
    ]
    neighbours_in = [index._neighbours_many(near) for index in indexes]
    for i, (key, _) in enumerate(near):
        for neighbours in neighbours_in:
            for other, edits in neighbours[i]:
                factor = 0.8 * (1.0 - edits / len(key))
                if keys.get(other, 0.0) < factor:
                    keys[other] = factor
    total = sum(len(index._alias_code) for index in indexes) + 1
    # Per key: its posting lists ((index number << 24, ids) per index holding it), their
    # summed length and the key's factor (1.0, or less for a typo neighbour).
    held = [index._lookup_many([_query_hash(key) for key in keys]) for index in indexes]
    postings = []
    for j, factor in enumerate(keys.values()):
        parts = [
            (number << _ID_BITS, ids) for number, found in enumerate(held) if len(ids := found[j])
        ]
        if parts:
            postings.append((parts, sum(len(ids) for _, ids in parts), factor))
    postings.sort(key=itemgetter(1))
    seed_df = max(500, total // 200)
    keep = 8 * max(index.max_candidates for index in indexes)
    rare = [p for p in postings if p[1] <= seed_df]
    common = postings[len(rare) :]
    if rare and common and all(p[2] < 1.0 for p in rare):
        # Only typo neighbours are rare: the query's own rarest key seeds too, or the
        # listed names spelt exactly as asked ("fangli") would never become candidates.
        own = next((i for i, p in enumerate(common) if p[2] == 1.0), None)
        if own is not None and common[own][1] <= 8 * seed_df:
            rare.append(common.pop(own))
    segments, weights = [], []
    for parts, df, factor in rare:
        weight = factor * math.log(1.0 + total / df)
        for shift, ids in parts:
            segments.append(ids | shift if shift else ids)
            weights.append(weight)
    # Brands joined to a generic word with typos (``_joined_with_generic``) rank first.
    if joined := _joined_with_generic(indexes, tokens):
        segments.append(np.array(list(joined), dtype=np.uint32))
        weights.append(math.log(1.0 + total))
    found, sums = _summed(segments, weights)
    seeded = _NONE
    if not len(found) and common:
        # Only common words: the candidates must hold the two rarest of them.
        both = [{shift | i for shift, ids in p[0] for i in ids.tolist()} for p in common[:2]]
        scores = dict.fromkeys(both[0].intersection(*both[1:]), 0.0)
    elif common and len(found) > keep:
        best = _top(sums, keep)
        seeded, scores = found, dict(zip(found[best].tolist(), sums[best].tolist(), strict=True))
    else:
        scores = dict(zip(found.tolist(), sums.tolist(), strict=True))
    # Names within the whole-name budget are always candidates, first among them.
    for composite in _whole_name_matches(indexes, tokens):
        scores[composite] = scores.get(composite, 0.0) + math.log(1.0 + total)
    _weigh_common(scores, common, total)
    ranked = [composite for composite, _ in _best(scores, limit)]
    pool = BELOW_POOL * keep if len(seeded) else 0
    return Ranking(ranked, seeded, sums, scores, common, total, pool)


def _weigh_common(scores: dict[int, float], common: Sequence, total: int) -> None:
    """Common keys only add to candidates found so far ("boost only"): per index, the
    candidates it holds are looked up in the key's ascending ids, all at once."""
    present: dict[int, list[int]] = {}
    if common:
        for composite in scores:
            present.setdefault(composite & ~_ID_MASK, []).append(composite & _ID_MASK)
    mine = {shift: np.array(ids, dtype=np.uint32) for shift, ids in present.items()}
    for parts, df, factor in common:
        weight = factor * math.log(1.0 + total / df)
        for shift, ids in parts:
            wanted = mine.get(shift)
            if wanted is None:
                continue
            at = np.searchsorted(ids, wanted)
            np.minimum(at, len(ids) - 1, out=at)
            for alias_id in wanted[ids[at] == wanted].tolist():
                scores[shift | alias_id] += weight
