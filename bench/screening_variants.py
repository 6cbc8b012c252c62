"""Class-by-class recall and precision of the matching engine on name variants.

The labelled set (bench/data/screening_variants.json) holds invented names, none of a real
listed party, and the variants that real lists and customers produce: Chinese company names
with and without their city or province prefix, Chinese names with brackets inside (in
characters and in joined or spaced pinyin), Russian names in Cyrillic with their legal form
queried in BGN/PCGN, ICAO and popular English transliteration (and the reverse), and Hong Kong
personal names in Cantonese romanisation. Each class also has negatives: similar names that
must stay clear.

    .venv/bin/python bench/screening_variants.py [--threshold 0.85] [--verbose] [--json PATH]

Recall: share of positive queries whose expected party is among the hits at or above the
threshold. Precision: share of those hits (over all queries of the class, negatives included)
that are the expected party. Negatives flagged: negative queries with any hit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screening.engine import DEFAULT_THRESHOLD, Alias, ListEntity, MatchIndex

DATA = Path(__file__).resolve().parent / "data" / "screening_variants.json"


def load(path: Path = DATA) -> tuple[list[ListEntity], list[dict[str, str | None]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    entities = [
        ListEntity(
            key=e["key"],
            names=tuple(Alias(n) for n in e["names"]),
            entity_type=e.get("type"),
            countries=tuple(e.get("countries", ())),
        )
        for e in data["entities"]
    ]
    return entities, data["queries"]


def evaluate(
    entities: list[ListEntity],
    queries: list[dict[str, str | None]],
    threshold: float = DEFAULT_THRESHOLD,
) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Per-class metrics and a list of failures (missed positives, flagged negatives)."""
    index = MatchIndex.build(entities)
    stats: dict[str, dict[str, float]] = {}
    failures = []
    for query in queries:
        cls, text, expect = str(query["class"]), str(query["query"]), query["expect"]
        s = stats.setdefault(
            cls, {"positives": 0, "found": 0, "negatives": 0, "flagged": 0, "hits": 0, "right": 0}
        )
        hits = [h for h in index.search(text, threshold=threshold) if h.score >= threshold]
        keys = [h.entity_key for h in hits]
        s["hits"] += len(hits)
        s["right"] += sum(1 for k in keys if k == expect)
        if expect is None:
            s["negatives"] += 1
            if hits:
                s["flagged"] += 1
                failures.append(
                    f"{cls}: negative {text!r} flagged {hits[0].entity_key} "
                    f"{hits[0].score:.2f} ({hits[0].explain()})"
                )
        else:
            s["positives"] += 1
            if expect in keys:
                s["found"] += 1
            else:
                best = index.search(text, threshold=0.0, review_floor=0.0, limit=3)
                got = ", ".join(f"{h.entity_key} {h.score:.2f}" for h in best) or "nothing"
                failures.append(f"{cls}: missed {text!r} -> {expect} (got {got})")
    for s in stats.values():
        s["recall"] = s["found"] / s["positives"] if s["positives"] else 1.0
        s["precision"] = s["right"] / s["hits"] if s["hits"] else 1.0
    total = {
        k: sum(s[k] for s in stats.values())
        for k in ("positives", "found", "negatives", "flagged", "hits", "right")
    }
    total["recall"] = total["found"] / total["positives"]
    total["precision"] = total["right"] / total["hits"] if total["hits"] else 1.0
    stats["all"] = total
    return stats, failures


def table(stats: dict[str, dict[str, float]]) -> str:
    lines = [
        "| class | positives | recall | negatives | flagged | precision |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for cls, s in stats.items():
        lines.append(
            f"| {cls} | {s['positives']:.0f} | {s['recall']:.3f} | {s['negatives']:.0f} "
            f"| {s['flagged']:.0f} | {s['precision']:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--verbose", action="store_true", help="list every failure")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    entities, queries = load(args.data)
    stats, failures = evaluate(entities, queries, args.threshold)
    print(table(stats))
    if args.verbose:
        print("\n".join(failures))
    if args.json:
        args.json.write_text(json.dumps(stats, indent=1))
    return stats


if __name__ == "__main__":
    main()
