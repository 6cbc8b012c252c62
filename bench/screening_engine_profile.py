"""CPU per name of the engine as the API uses it: one name searched in several mapped indexes.

    .venv/bin/python bench/screening_engine_profile.py [--entities 100000] [--second 15000]
        [--small 6] [--names 1000] [--profile] [--top 30] [--dump hits.jsonl]

The lists are SYNTHETIC (``bench/screening_bench.py``'s generator). The script builds (once,
cached under var/bench/) the index files of one large list (--entities), one mid-sized list
(--second) and --small lists of 200 entities, i.e. the eight list versions the demo
organisation of ``bench/screening_http_bench.py`` sees, maps them read-only as every web and
worker process does, and screens --names names (half variants of listed names, half unlisted
names as ``bench/screening_api_profile.py`` makes them) the way ``screenings_run`` does:
``search_many`` over all the indexes, with the organisation's threshold and today's date.

Prints CPU milliseconds per name (``time.process_time``, not wall time: the machine may be
shared) and names per CPU-second, the scored candidates per name, and with --profile the
cProfile top functions. --dump writes every name's hits (party, score, reasons) one line per
name, so that a change meant to make the engine faster, not different, can be checked by
comparing the files of two runs.
"""

import argparse
import cProfile
import io
import json
import pstats
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.screening_bench import generate  # noqa: E402
from bench.screening_http_bench import _variant  # noqa: E402
from screening.engine import MatchIndex  # noqa: E402
from screening.engine.index import FORMAT_VERSION, search_many  # noqa: E402

CACHE = ROOT / "var" / "bench"


def _index_file(entities: int, seed: int) -> Path:
    path = CACHE / f"engine-profile-{entities}-{seed}-v{FORMAT_VERSION}.midx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        data = generate(entities, 0, seed=seed)
        index = MatchIndex.build(data.entities)
        part = path.with_suffix(".part")
        with open(part, "wb") as handle:
            index.write(handle)
        part.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--second", type=int, default=15_000)
    parser.add_argument("--small", type=int, default=6)
    parser.add_argument("--names", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--typos", action="store_true", help="listed names reordered and with a letter dropped"
    )
    parser.add_argument("--dump", help="write each name's hits to this file (JSON lines)")
    args = parser.parse_args()

    sizes = [(args.entities, 1), (args.second, 2)]
    sizes += [(200, 10 + n) for n in range(args.small)]
    indexes = [MatchIndex.load(_index_file(n, seed)) for n, seed in sizes if n]
    listed = [e.names[0].text for e in generate(min(args.entities, 5000), 0, seed=1).entities]
    rng = random.Random(args.seed)

    def batch(count: int) -> list[str]:
        return [
            (_variant(rng, rng.choice(listed)) if args.typos else rng.choice(listed))
            if rng.random() < 0.5
            else f"Unlisted Party {rng.randrange(10**6)} Trading"
            for _ in range(count)
        ]

    today = date.today()

    found: list[list] = []

    def run(names: list[str]) -> int:
        hits = 0
        for name in names:
            result = search_many(indexes, name, threshold=0.85, limit=20, on=today)
            hits += len(result)
            if args.dump:
                found.append(
                    [name]
                    + [
                        [h.entity_key, h.alias.text, h.score, str(h.decision), repr(h.reasons)]
                        for h in result
                    ]
                )
        return hits

    run(batch(100))  # warm: page the mapped files in
    names = batch(args.names)
    profiler = cProfile.Profile() if args.profile else None
    cpu = time.process_time()
    if profiler:
        profiler.enable()
    hits = run(names)
    if profiler:
        profiler.disable()
    cpu = time.process_time() - cpu
    print(
        f"{len(indexes)} indexes ({', '.join(str(len(i)) for i in indexes)} entities), "
        f"{len(names)} names, {hits} hits: CPU {cpu * 1000 / len(names):.2f} ms per name, "
        f"{len(names) / cpu:.0f} names per CPU-second" + (" (profiled)" if profiler else "")
    )
    if args.dump:
        Path(args.dump).write_text("".join(json.dumps(line) + "\n" for line in found[100:]))
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
