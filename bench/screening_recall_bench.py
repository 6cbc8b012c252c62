"""Candidate recall of the index against the engine's own scorer run over every alias.

    .venv/bin/python bench/screening_recall_bench.py [--entities 100000] [--queries 500]
        [--workers 2] [--threshold 0.85] [--json PATH]

The list and the queries are SYNTHETIC (``bench/screening_bench.py``'s generator: made-up
Latin, Chinese and other-script names; about 60 % of the queries are variants of listed
names, 40 % unlisted names). For each query:

* the index answers as in production (``MatchIndex.search``: candidate keys, the best
  ``max_candidates`` aliases scored), with no limit on the hits returned;
* the brute force scores EVERY alias of the list with the same scorer (``compare``; weak
  aliases only on the same surface), adds the same country and type qualifiers, and keeps each
  entity's best alias, exactly as ``search`` does for its candidates.

Recall = the share of the brute force's alerts (entity at or above --threshold) that the index
also alerts on; the review floor (potential matches) is reported too. The brute force is the
slow part (every alias, every query); --workers forks that many processes.
"""

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.screening_bench import generate
from screening.engine import DEFAULT_THRESHOLD, REVIEW_FLOOR, MatchIndex
from screening.engine.index import WEAK_ALIAS_SCORE, _qualifiers, _same_surface
from screening.engine.normalise import decode_tokens, normalise_name
from screening.engine.score import MAX_MERGE, compare, edit_budget

_STATE: dict = {}
# The scorer's largest edit budget (words of 14+ letters, score.edit_budget) and the whole-name
# budget; the pre-filter below uses them to find every alias that can score above zero.
_WORD_EDITS = 3
_WHOLE_EDITS = 2


class _Aliases:
    """Every alias of the index, decoded, with lookup tables that find, for a query, each alias
    that can score above zero. ``compare`` is zero unless the word alignment matches a pair of
    words (same word, a typo within the budget -- at most three edits -- or an initial), a word
    and a run of words joined (again at most three edits), or the whole names (spaces removed)
    are within two edits or equal: an alias with none of these is left out exactly, the rest
    get the full scorer."""

    def __init__(self, index: MatchIndex) -> None:
        self.slots, self.weak, self.tokens = [], [], []
        by_word: dict[str, list[int]] = {}
        runs: dict[str, list[int]] = {}
        joined: dict[str, list[int]] = {}
        self.by_surface: dict[str, list[int]] = {}
        for alias_id in range(len(index._alias_code)):
            tokens = decode_tokens(index._alias_code[alias_id])
            self.slots.append(index._alias_entity[alias_id])
            self.weak.append(bool(index._alias_weak[alias_id]))
            self.tokens.append(tokens)
            self.by_surface.setdefault("".join(t.surface for t in tokens), []).append(alias_id)
            joined.setdefault("".join(t.latin for t in tokens), []).append(alias_id)
            for token in tokens:
                by_word.setdefault(token.latin, []).append(alias_id)
            for run in _runs(tokens):
                runs.setdefault(run, []).append(alias_id)
        self.words = _ByLength(by_word)
        self.runs = _ByLength(runs)
        self.joined = _ByLength(joined)
        self.initials: dict[str, list[int]] = {}  # aliases with a word of this first letter
        self.single: dict[str, list[int]] = {}  # aliases with this one-letter word
        for word, ids in by_word.items():
            if word:
                self.initials.setdefault(word[0], []).extend(ids)
            if len(word) == 1:
                self.single.setdefault(word, []).extend(ids)

    def __len__(self) -> int:
        return len(self.tokens)

    def candidates(self, query) -> set[int]:
        found: set[int] = set()
        latin = [t.latin for t in query if t.latin]
        for word in latin:
            # A pair of words: equal, an initial, or a typo within score.edit_budget.
            for other, ids in self.words.near(word, _WORD_EDITS):
                if other == word or _typo_ok(word, other):
                    found.update(ids)
            if len(word) == 1:
                found.update(self.initials.get(word, ()))
            else:
                found.update(self.single.get(word[0], ()))
            # A query word against listed words joined (score._merge_runs).
            if len(word) >= 4:
                budget = edit_budget(len(word)) if len(word) >= 6 else 0
                for _, ids in self.runs.near(word, budget):
                    found.update(ids)
        # A listed word against query words joined.
        for run in _runs(query):
            for other, ids in self.words.near(run, _WORD_EDITS):
                if len(other) >= 4:
                    budget = edit_budget(len(other)) if len(other) >= 6 else 0
                    if OSA.distance(other, run, score_cutoff=budget) <= budget:
                        found.update(ids)
        # The whole names, spaces removed (score.whole_name).
        whole = "".join(latin)
        for other, ids in self.joined.near(whole, _WHOLE_EDITS):
            shorter = min(len(whole), len(other))
            budget = 0 if shorter < 6 else 1 if shorter < 20 else 2
            if OSA.distance(whole, other, score_cutoff=budget) <= budget:
                found.update(ids)
        found.update(self.by_surface.get("".join(t.surface for t in query), ()))
        return found


class _ByLength:
    """Strings grouped by length, each with the aliases holding it: ``near`` finds those
    within ``edits`` (OSA) of a string, looking only at lengths that can be that close."""

    def __init__(self, table: dict[str, list[int]]) -> None:
        self.strings: dict[int, list[str]] = {}
        self.ids: dict[int, list[list[int]]] = {}
        for text, ids in table.items():
            self.strings.setdefault(len(text), []).append(text)
            self.ids.setdefault(len(text), []).append(ids)

    def near(self, text: str, edits: int):
        for length in range(max(0, len(text) - edits), len(text) + edits + 1):
            strings = self.strings.get(length)
            if not strings:
                continue
            for other, _, i in process.extract(
                text, strings, scorer=OSA.distance, score_cutoff=edits, limit=None
            ):
                yield other, self.ids[length][i]


def _typo_ok(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    budget = edit_budget(min(len(a), len(b)))
    return budget > 0 and abs(len(a) - len(b)) <= budget and OSA.distance(a, b) <= budget


def _runs(tokens) -> set[str]:
    """Runs of two to MAX_MERGE consecutive words, joined (what a single word may match)."""
    out = set()
    for start in range(len(tokens)):
        joined = tokens[start].latin
        for end in range(start + 1, min(start + MAX_MERGE, len(tokens))):
            joined += tokens[end].latin
            out.add(joined)
    return out


def _brute(position: int) -> dict[str, float]:
    """The best score per entity over every alias that can score above zero (see _Aliases),
    as ``search`` computes it per candidate."""
    index, aliases, queries = _STATE["index"], _STATE["aliases"], _STATE["queries"]
    query = queries[position]
    tokens = normalise_name(query.text).tokens
    if not tokens:
        return {}
    country = query.country.upper() if query.country else None
    best: dict[int, float] = {}
    for alias_id in aliases.candidates(tokens):
        slot, listed = aliases.slots[alias_id], aliases.tokens[alias_id]
        if aliases.weak[alias_id]:
            score = WEAK_ALIAS_SCORE if _same_surface(tokens, listed) else 0.0
        else:
            score = compare(tokens, listed)
        if score <= 0.0:
            continue
        entity = index._entities[slot]
        score += sum(r.effect for r in _qualifiers(entity, country, None))
        if score >= REVIEW_FLOOR and score > best.get(slot, -1.0):
            best[slot] = score
    return {index._entities[slot].key: round(min(1.0, score), 4) for slot, score in best.items()}


def _brute_all_aliases(position: int) -> dict[str, float]:
    """The same without the pre-filter: the scorer on every alias (slow; --check compares)."""
    index, aliases, queries = _STATE["index"], _STATE["aliases"], _STATE["queries"]
    query = queries[position]
    tokens = normalise_name(query.text).tokens
    if not tokens:
        return {}
    country = query.country.upper() if query.country else None
    best: dict[int, float] = {}
    for alias_id in range(len(aliases)):
        slot, listed = aliases.slots[alias_id], aliases.tokens[alias_id]
        if aliases.weak[alias_id]:
            score = WEAK_ALIAS_SCORE if _same_surface(tokens, listed) else 0.0
        else:
            score = compare(tokens, listed)
        if score <= 0.0:
            continue
        entity = index._entities[slot]
        score += sum(r.effect for r in _qualifiers(entity, country, None))
        if score >= REVIEW_FLOOR and score > best.get(slot, -1.0):
            best[slot] = score
    return {index._entities[slot].key: round(min(1.0, score), 4) for slot, score in best.items()}


def _recall(found: list[dict[str, float]], truth: list[dict[str, float]], floor: float):
    wanted = hit = 0
    missed = []
    for position, (mine, theirs) in enumerate(zip(found, truth, strict=True)):
        alerts = {key for key, score in theirs.items() if score >= floor}
        wanted += len(alerts)
        got = alerts & {key for key, score in mine.items() if score >= floor - 1e-9}
        hit += len(got)
        if alerts - got:
            missed.append((position, sorted(alerts - got)))
    return (hit / wanted if wanted else 1.0), wanted, missed


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--truth",
        help="the brute force's answers: read from this file when it exists (same list, "
        "queries and seed), else computed and written there",
    )
    parser.add_argument(
        "--check",
        type=int,
        default=0,
        help="also score every alias without the pre-filter for this many queries and "
        "stop if the answers differ",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    data = generate(args.entities, args.queries, seed=args.seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    index = MatchIndex.build(data.entities)
    built = time.perf_counter() - started
    aliases = _Aliases(index)
    print(
        f"synthetic list: {len(index)} entities, {len(aliases)} aliases "
        f"(generated {generated:.0f} s, index built {built:.0f} s); "
        f"{len(data.queries)} queries",
        flush=True,
    )
    started = time.perf_counter()
    found = [
        {
            h.entity_key: h.score
            for h in index.search(q.text, country=q.country, threshold=REVIEW_FLOOR, limit=10**6)
        }
        for q in data.queries
    ]
    index_seconds = time.perf_counter() - started
    _STATE.update(index=index, aliases=aliases, queries=data.queries)
    started = time.perf_counter()
    positions = range(len(data.queries))
    truth_file = Path(args.truth) if args.truth else None
    if truth_file is not None and truth_file.exists():
        truth = json.loads(truth_file.read_text())
    else:
        truth = []

        def collect(answers) -> None:
            for answer in answers:
                truth.append(answer)
                if len(truth) % 50 == 0:
                    seconds = time.perf_counter() - started
                    print(f"brute force: {len(truth)} queries, {seconds:.0f} s", flush=True)

        if args.workers > 1:
            with multiprocessing.get_context("fork").Pool(args.workers) as pool:
                collect(pool.imap(_brute, positions, chunksize=5))
        else:
            collect(_brute(p) for p in positions)
        if truth_file is not None:
            truth_file.write_text(json.dumps(truth))
    brute_seconds = time.perf_counter() - started
    for position in range(min(args.check, len(data.queries))):
        full = _brute_all_aliases(position)
        if full != truth[position]:
            raise SystemExit(f"pre-filter differs on query {position}: {full} != {truth[position]}")
    recall, alerts, missed = _recall(found, truth, args.threshold)
    review_recall, review_alerts, _missed = _recall(found, truth, REVIEW_FLOOR)
    result = {
        "synthetic": True,
        "entities": len(index),
        "aliases": len(aliases),
        "queries": len(data.queries),
        "threshold": args.threshold,
        "recall_alerts": round(recall, 4),
        "brute_alerts": alerts,
        "recall_review_floor": round(review_recall, 4),
        "brute_review_hits": review_alerts,
        "queries_with_a_miss": len(missed),
        "missed_examples": [
            {"query": data.queries[p].text, "missed": keys[:3]} for p, keys in missed[:10]
        ],
        "index_ms_per_query": round(1000 * index_seconds / len(data.queries), 2),
        "brute_s_per_query": round(brute_seconds * args.workers / len(data.queries), 2),
        "index_build_seconds": round(built, 1),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
