"""Peak memory of a large CSV/XLSX export through core.exports.

The rows are SYNTHETIC (generated here, one party-register-like row each: Chinese and Latin
names, type, country, address, number, status, a datetime, a boolean); no database is used, so
what is measured is the export layer alone: the response is built and then read to the end in
blocks, as the server would send it, and each block is thrown away.

Each export runs in its own child process, which reports
- `tracemalloc` peak: the most Python-allocated memory held at once while building and sending;
- the growth of the process's peak RSS (`ru_maxrss`) over the same work (covers C allocations
  too, e.g. lxml and zlib, which tracemalloc does not see).

    .venv/bin/python bench/export_memory.py [--rows 50000] [--formats csv,xlsx]

`csv-in-memory` is the comparison: the streamed CSV joined into one response body, as the
reference-list exports were built before they streamed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HEADER = [
    "Name",
    "Name (Latin script)",
    "Type",
    "Country",
    "Address",
    "Customer or supplier number",
    "Screening",
    "Last screened",
    "Active",
]


def synthetic_rows(count: int):
    """The header, then `count` made-up rows (nothing real)."""
    yield HEADER
    when = datetime.datetime(2026, 1, 1, 9, 30)
    for n in range(count):
        yield [
            f"合成测试贸易有限公司 {n}",
            f"Synthetic Trading Co. {n}",
            "Customer",
            "AE",
            f"Unit {n % 900}, Jebel Ali Free Zone, Dubai",
            f"C-{n:07d}",
            "Clear",
            when + datetime.timedelta(minutes=n),
            n % 7 != 0,
        ]


def _consume(response) -> int:
    size = 0
    if response.streaming:
        for block in response.streaming_content:
            size += len(block)
    else:
        size = len(response.content)
    response.close()
    return size


def run_one(kind: str, rows: int) -> dict:
    import django

    django.setup()
    from core import exports

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    if kind == "csv-in-memory":
        from django.http import HttpResponse

        streamed = exports.csv_response(synthetic_rows(rows), filename="x.csv")
        response = HttpResponse(b"".join(streamed.streaming_content))
    elif kind == "csv":
        response = exports.csv_response(synthetic_rows(rows), filename="x.csv")
    elif kind == "xlsx":
        response = exports.xlsx_response(
            synthetic_rows(rows), filename="x.xlsx", sheet_title="parties"
        )
    else:
        raise SystemExit(f"unknown kind {kind}")
    size = _consume(response)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "kind": kind,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 2),
        "tracemalloc_peak_mib": round(peak / 2**20, 2),
        "rss_growth_mib": round((rss_after - rss_before) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--kinds", default="csv-in-memory,csv,xlsx")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.rows)))
        return
    print(f"Synthetic rows: {args.rows:,} (generated, no database)")
    columns = ("rows", 9), ("size MiB", 10), ("seconds", 9), ("py peak MiB", 13), ("RSS +MiB", 10)
    print(f"{'export':<15}" + "".join(f"{name:>{width}}" for name, width in columns))
    for kind in args.kinds.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--rows", str(args.rows)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"{kind:<15}{result['rows']:>9,}{result['bytes'] / 2**20:>10.1f}"
            f"{result['seconds']:>9}{result['tracemalloc_peak_mib']:>13}"
            f"{result['rss_growth_mib']:>10}"
        )


if __name__ == "__main__":
    main()
