"""Pairwise name scoring: token alignment plus a whole-name comparison, with reasons.

The score follows nomenklatura's logic-v2 weighting: matched words count with their
similarity, an unmatched query word weighs 0.8 and an unmatched listed word 0.2, so a query
that drops a word from the listed name loses little while a query adding a word loses more.
Tokens of Chinese characters weigh 0.5 (one character is about half a word), generic words and
place names 0.6 of their weight. The whole-name comparison (spaces removed) catches spacing and
typo combinations the word alignment splits apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import OSA

from . import cantonese, translit
from .model import Reason
from .normalise import Token, split_pinyin

EXTRA_QUERY_WEIGHT = 0.8
EXTRA_LISTED_WEIGHT = 0.2
HOMOPHONE_SCORE = 0.8
# A Latin word read as the Cantonese (Hong Kong) romanisation of a character: below an exact
# pinyin reading (1.0), so a name matched only this way is a potential match, not a match.
CANTONESE_SCORE = 0.9
# Joined Cantonese syllables ("Taiman" for 大文) are looked for in names this short (persons).
MAX_CANTONESE_RUN = 4
# Two spellings of one Russian word in different transliteration systems (the key is lossy,
# so a name differing only so is a potential match, for a person to confirm).
TRANSLIT_SCORE = 0.93
# Share of the score lost per pair of Chinese characters matched in swapped order.
HAN_ORDER_PENALTY = 0.2
# An unmatched leading place (昆明, 江苏省无锡市) on either side costs this share of its weight.
EXTRA_PLACE_WEIGHT = 0.2
INITIAL_SCORE = 0.7
# Share of a character lost per typo edit: "sherx" ~ "sherox" scores 1 - 0.8/6.
TYPO_COST = 0.8
MAX_MERGE = 6
# A match carried only by generic words and places is scaled down below the threshold.
GENERIC_ONLY_FACTOR = 0.75

EXACT, PINYIN, HOMOPHONE, TYPO, SPACING, INITIAL, CANTONESE, TRANSLIT = (
    "exact",
    "pinyin",
    "homophone",
    "typo",
    "spacing",
    "initial",
    "cantonese",
    "transliteration",
)


def edit_budget(length: int) -> int:
    """Edits allowed for a word of ``length`` characters; words under four letters (pinyin
    syllables, short given names) must match exactly, as rigour's fail-closed rule does."""
    if length < 4:
        return 0
    if length < 9:
        return 1
    if length < 14:
        return 2
    return 3


# The same pairs of words come back in every candidate of a query (generic words, common
# syllables and characters): the similarity of two words is kept per process (bounded).
@lru_cache(maxsize=1 << 15)
def _similarity(ql: str, qh: str, al: str, ah: str) -> tuple[float, str, int]:
    if qh and ah:
        if qh == ah:
            return 1.0, EXACT, 0
        if ql == al:
            return HOMOPHONE_SCORE, HOMOPHONE, 0
        return 0.0, "", 0
    if ql == al:
        return 1.0, (PINYIN if qh or ah else EXACT), 0
    if qh or ah:
        han, word = (qh, al) if qh else (ah, ql)
        key = cantonese.fold_latin(word)
        if key is not None and key in cantonese.char_keys(han):
            return CANTONESE_SCORE, CANTONESE, 0
        return 0.0, "", 0
    nq, na = len(ql), len(al)
    if nq == 1 or na == 1:
        if ql[0] == al[0]:
            return INITIAL_SCORE, INITIAL, 0
        return 0.0, "", 0
    budget = edit_budget(min(nq, na))
    typo = 0.0
    edits = budget + 1
    if budget and abs(nq - na) <= budget:
        edits = OSA.distance(ql, al, score_cutoff=budget)
        if edits <= budget:
            typo = 1.0 - TYPO_COST * edits / max(nq, na)
    if typo < TRANSLIT_SCORE and min(nq, na) >= 3:
        translit_edits = transliteration_edits(ql, al)
        if translit_edits is not None:
            sim = TRANSLIT_SCORE - TYPO_COST * translit_edits / max(nq, na)
            if sim > typo:
                return sim, TRANSLIT, translit_edits
    if typo:
        return typo, TYPO, edits
    return 0.0, "", 0


@lru_cache(maxsize=65536)
def transliteration_edits(a: str, b: str) -> int | None:
    """Edits between the transliteration keys of two spellings of a Russian word
    (``translit.fold``): 0 for the same key, 1 for words of six letters or more one edit
    apart (Ё as ``yo`` or ``e``), else None. Not for pinyin: when either word reads as pinyin
    ("huawei" / "huawey") a difference is a typo, not a system."""
    fa, fb = translit.fold(a), translit.fold(b)
    if fa == fb:
        edits = 0
    elif (
        min(len(fa), len(fb)) >= 6
        and abs(len(fa) - len(fb)) <= 1
        and (fa[0] == fb[0] or fa[-1] == fb[-1])  # one edit leaves one end in place
        and OSA.distance(fa, fb, score_cutoff=1) <= 1
    ):
        edits = 1
    else:
        return None
    return None if split_pinyin(a) or split_pinyin(b) else edits


# A match: (query start, query end, listed start, listed end, similarity, kind, edits).
Match = tuple[int, int, int, int, float, str, int]


def _merge_runs(
    singles: Sequence[Token],
    single_free: list[int],
    runs: Sequence[Token],
    run_free: set[int],
) -> list[tuple[int, int, int, float, int]]:
    """Match unmatched Latin words against runs of consecutive unmatched words on the other
    side ("huawei" ~ "hua wei"). Returns (single index, run start, run end, sim, edits)."""
    found: list[tuple[int, int, int, float, int]] = []
    words = [i for i in single_free if not singles[i].han and len(singles[i].latin) >= 4]
    if not words or not any(j + 1 in run_free for j in run_free):
        return found  # no word long enough, or no two adjacent words left to join
    cross_script = any(t.han for t in runs)
    for i in words:
        word = singles[i].latin
        budget = edit_budget(len(word)) if len(word) >= 6 and not cross_script else 0
        best: tuple[int, int, int, float, int] | None = None
        for start in sorted(run_free):
            if not budget and not word.startswith(runs[start].latin):
                continue  # an exact run starts as the word does
            joined = ""
            for end in range(start, min(start + MAX_MERGE, len(runs))):
                if end not in run_free:
                    break
                joined += runs[end].latin
                if end == start or len(joined) < len(word) - budget:
                    continue
                if len(joined) > len(word) + budget:
                    break
                edits = OSA.distance(word, joined, score_cutoff=budget)
                if edits <= budget:
                    sim = 1.0 - TYPO_COST * edits / max(len(word), len(joined))
                    if best is None or sim > best[3]:
                        best = (i, start, end + 1, sim, edits)
        if best is None and cross_script and len(runs) <= MAX_CANTONESE_RUN and len(word) <= 12:
            best = _cantonese_run(i, word, runs, run_free)
        if best is not None:
            found.append(best)
            run_free.difference_update(range(best[1], best[2]))
    return found


def _cantonese_run(
    i: int, word: str, runs: Sequence[Token], run_free: set[int]
) -> tuple[int, int, int, float, int] | None:
    """Two or three free characters whose Cantonese syllables, written together, make the
    word ("chiming" for 志明). Marked with edits -1 so the reason says Cantonese."""
    for start in sorted(run_free):
        for end in range(start + 2, min(start + 3, len(runs)) + 1):
            if not run_free.issuperset(range(start, end)):
                break
            chars = "".join(t.han for t in runs[start:end])
            if len(chars) == end - start and cantonese.split_word(word, chars):
                return i, start, end, CANTONESE_SCORE, -1
    return None


# What one listed word can match in a query: (query position, similarity, kind, edits) for
# each query word it is similar to.
Row = tuple[tuple[int, float, str, int], ...]


def _row(query: Sequence[Token], word: Token) -> Row:
    al, ah = word.latin, word.han
    return tuple(
        (i, *found)
        for i, q in enumerate(query)
        if (found := _similarity(q.latin, q.han, al, ah))[0] > 0.0
    )


def align(
    query: Sequence[Token], listed: Sequence[Token], rows: Sequence[Row] | None = None
) -> tuple[float, list[Match]]:
    """Best word alignment of two token sequences, order-insensitive; returns the weighted
    score and the matches. ``rows`` are the listed words' rows when the caller has them
    (``QueryScorer``)."""
    if rows is None:
        rows = [_row(query, a) for a in listed]
    pairs = [(sim, i, j, kind, edits) for j, row in enumerate(rows) for i, sim, kind, edits in row]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    q_free = set(range(len(query)))
    a_free = set(range(len(listed)))
    matches: list[Match] = []
    for sim, i, j, kind, edits in pairs:
        if i in q_free and j in a_free:
            q_free.discard(i)
            a_free.discard(j)
            matches.append((i, i + 1, j, j + 1, sim, kind, edits))
    if q_free and a_free:
        for i, start, end, sim, edits in _merge_runs(query, sorted(q_free), listed, a_free):
            q_free.discard(i)
            kind = _run_kind(listed[start:end], edits)
            matches.append((i, i + 1, start, end, sim, kind, max(edits, 0)))
    if q_free and a_free:
        for j, start, end, sim, edits in _merge_runs(listed, sorted(a_free), query, q_free):
            a_free.discard(j)
            kind = _run_kind(query[start:end], edits)
            matches.append((start, end, j, j + 1, sim, kind, max(edits, 0)))
    numerator = denominator = 0.0
    for qs, qe, ls, le, sim, _, _ in matches:
        if qe - qs == 1 and le - ls == 1:  # a word for a word (most matches): no sums
            weight = (query[qs].weight + listed[ls].weight) / 2
        else:
            weight = (
                sum((t.weight for t in query[qs:qe]), 0.0)
                + sum((t.weight for t in listed[ls:le]), 0.0)
            ) / 2
        numerator += sim * weight
        denominator += weight
    # Float sums start at 0.0: compiled (mypyc), a sum started at 0 is typed as an int.
    denominator += sum((_extra_query_weight(query[i]) for i in q_free), 0.0)
    denominator += sum((_extra_listed_weight(listed[j]) for j in a_free), 0.0)
    score = numerator / denominator if denominator else 0.0
    score *= 1.0 - HAN_ORDER_PENALTY * _han_inversions(query, listed, matches)
    if generic_only(listed, matches):
        score *= GENERIC_ONLY_FACTOR
    return score, matches


def _han_inversions(query: Sequence[Token], listed: Sequence[Token], matches: list[Match]) -> int:
    """Adjacent characters matched in swapped order (星海 against 海星): the alignment is
    order-free for words, but the order of Chinese characters is part of the name."""
    order = sorted(
        (m[0], m[2]) for m in matches if m[1] - m[0] == 1 and query[m[0]].han and listed[m[2]].han
    )
    return sum(1 for (_, a), (_, b) in pairwise(order) if a > b)


def _extra_query_weight(token: Token) -> float:
    if token.place:
        return EXTRA_PLACE_WEIGHT * token.weight
    return EXTRA_QUERY_WEIGHT * token.weight


def _extra_listed_weight(token: Token) -> float:
    """A distinctive Chinese character missing from the query weighs like an extra query
    word: in 于艳 vs 于佳艳 every character of the name matters."""
    if token.place:
        return EXTRA_PLACE_WEIGHT * token.weight
    if token.han and not token.low:
        return EXTRA_QUERY_WEIGHT * token.weight
    return EXTRA_LISTED_WEIGHT * token.weight


def generic_only(listed: Sequence[Token], matches: list[Match]) -> bool:
    """True when the listed name has a distinctive word but only generic words matched."""
    if all(t.low for t in listed):
        return False
    return not any(not t.low for m in matches for t in listed[m[2] : m[3]])


def _run_kind(run: Sequence[Token], edits: int) -> str:
    if edits < 0:
        return CANTONESE
    if edits:
        return TYPO
    return PINYIN if any(t.han for t in run) else SPACING


def _joined(tokens: Sequence[Token], surface: bool) -> str:
    return "".join(t.surface if surface else t.latin for t in tokens)


def whole_name(query: Sequence[Token], listed: Sequence[Token]) -> tuple[float, int, str, str]:
    """Compare the names with spaces removed, in order. Chinese characters are compared as
    characters when both sides have them (so homophones do not pass as equal), and pinyin
    derived from characters must be equal: an edit in derived pinyin is another name."""
    q_han, l_han = any(t.han for t in query), any(t.han for t in listed)
    surface = q_han and l_han
    jq, ja = _joined(query, surface), _joined(listed, surface)
    shorter = min(len(jq), len(ja))
    if shorter < 6 or q_han or l_han:
        return (1.0, 0, jq, ja) if jq == ja else (0.0, 0, jq, ja)
    budget = 1 if shorter < 20 else 2
    if abs(len(jq) - len(ja)) > budget:
        return 0.0, 0, jq, ja
    edits = OSA.distance(jq, ja, score_cutoff=budget)
    if edits > budget:
        return 0.0, 0, jq, ja
    return 1.0 - TYPO_COST * edits / max(len(jq), len(ja)), edits, jq, ja


def compare(query: Sequence[Token], listed: Sequence[Token]) -> float:
    """Name similarity in [0, 1] (no reasons; the fast path used for every candidate)."""
    if query == listed:
        return 1.0
    return max(align(query, listed)[0], whole_name(query, listed)[0])


class QueryScorer:
    """``compare`` of one query against its many candidates. The candidates of a query share
    most of their words (generic words, common syllables and characters), so what each
    listed word matches in the query is worked out once per query, not once per candidate;
    the scores are those of ``compare``."""

    __slots__ = ("_rows", "query")

    def __init__(self, query: Sequence[Token]) -> None:
        self.query = tuple(query)
        self._rows: dict[tuple[str, str], Row] = {}

    def compare(self, listed: Sequence[Token]) -> float:
        query = self.query
        if query == listed:
            return 1.0
        rows = []
        for word in listed:
            key = (word.latin, word.han)
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = _row(query, word)
            rows.append(row)
        return max(align(query, listed, rows)[0], whole_name(query, listed)[0])


def explain(query: Sequence[Token], listed: Sequence[Token]) -> tuple[float, list[Reason]]:
    """Name similarity with reasons naming the matched and unmatched words."""
    aligned, matches = align(query, listed)
    whole, edits, jq, ja = whole_name(query, listed)
    if whole > aligned:
        code = "whole_name_typo" if edits else "whole_name_spacing"
        return whole, [Reason(code, {"query": jq, "listed": ja, "edits": edits})]
    reasons = [_match_reason(query, listed, m) for m in _group_runs(sorted(matches))]
    if generic_only(listed, matches):
        reasons.append(Reason("generic_words_only", {"factor": GENERIC_ONLY_FACTOR}))
    matched_q = {i for m in matches for i in range(m[0], m[1])}
    matched_a = {j for m in matches for j in range(m[2], m[3])}
    reasons += [
        Reason("query_word_unmatched", {"word": query[i].surface})
        for i in range(len(query))
        if i not in matched_q
    ]
    reasons += [
        Reason("listed_word_unmatched", {"word": listed[j].surface})
        for j in range(len(listed))
        if j not in matched_a
    ]
    return aligned, reasons


def _group_runs(matches: list[Match]) -> list[Match]:
    """Join consecutive single-word matches of the same kind (华/为 -> 华为) for display."""
    grouped: list[Match] = []
    for m in matches:
        if grouped:
            qs, qe, ls, le, sim, kind, edits = grouped[-1]
            grouped_kinds = (EXACT, PINYIN, HOMOPHONE, CANTONESE)
            if kind == m[5] and kind in grouped_kinds and qe == m[0] and le == m[2]:
                grouped[-1] = (qs, m[1], ls, m[3], sim, kind, edits)
                continue
        grouped.append(m)
    return grouped


def _surface(tokens: Sequence[Token]) -> str:
    out = ""
    for t in tokens:
        if out and not (t.han and out[-1] > "\u2e80"):
            out += " "
        out += t.surface
    return out


def _match_reason(query: Sequence[Token], listed: Sequence[Token], m: Match) -> Reason:
    qs, qe, ls, le, sim, kind, edits = m
    params: dict[str, object] = {
        "query": _surface(query[qs:qe]),
        "listed": _surface(listed[ls:le]),
        "score": round(sim, 2),
    }
    if kind == TYPO:
        params["edits"] = edits
    return Reason(f"word_{kind}", params)
