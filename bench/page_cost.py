"""Page cost: what each main page of each role costs the server, independent of machine load.

    .venv/bin/python bench/page_cost.py [--database icp_bench_load] [--prepare] [--repeat 15]
                                        [--profile /trade/transactions/ --as manager]

Renders the main pages of bench/load_bench.py (the same PAGES, the same demo data on the same
PostgreSQL database and Redis cache, settings as in production: DEBUG off) in-process through the
Django test client, the member already logged in, and prints per page and role, median of
--repeat warm requests: the number of SQL queries, their time, the server's CPU time (this
process only: Python, templates, ORM; PostgreSQL's own work is the "SQL ms") and the wall time.
CPU time counts the work a request costs rather than how long it waited for a core, so the
numbers stay comparable on a busy machine.

--prepare builds the database first (as load_bench.py does); without it the database of a
previous load_bench.py run is reused (prepared if missing). --profile PATH prints the 25 most
expensive functions (cumulative) of that page for the role given by --as.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_bench import PAGES, _environment, _prepare  # noqa: E402


def _database_exists(database: str) -> bool:
    answer = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{database}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return answer.stdout.strip() == "1"


def _setup(database: str, prepare: bool) -> None:
    env = _environment(database)
    if prepare or not _database_exists(database):
        print(f"preparing {database} (migrate, reference library, demo data) ...", flush=True)
        _prepare(env, database)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


class _Timer:
    """Counts the queries of a request and their time (database wrapper, exact to the µs)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def _measure(client, path: str, repeat: int) -> dict:
    from django.db import connection

    client.get(path)  # warm: caches, connection, compiled templates
    rows = []
    for _ in range(repeat):
        timer = _Timer()
        with connection.execute_wrapper(timer):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        rows.append((timer.count, timer.seconds * 1000, cpu * 1000, wall * 1000))
    return {
        "queries": max(row[0] for row in rows),
        "sql": statistics.median(row[1] for row in rows),
        "cpu": statistics.median(row[2] for row in rows),
        "wall": statistics.median(row[3] for row in rows),
    }


def _client(email: str):
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _profile(email: str, path: str) -> None:
    client = _client(email)
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(f"\n{path} as {email}, 5 requests:\n{out.getvalue()}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="icp_bench_load")
    parser.add_argument("--prepare", action="store_true", help="build the database first")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", metavar="PATH", help="cProfile one page")
    parser.add_argument("--as", dest="role", default="manager", help="manager, auditor, ...")
    args = parser.parse_args()
    _setup(args.database, args.prepare)
    if args.profile:
        _profile(f"{args.role}@demo.example", args.profile)
        return
    print(
        f"PostgreSQL {args.database}, demo data, DEBUG off, Django test client, "
        f"median of {args.repeat} warm requests"
    )
    print(f"{'role':<10}{'page':<22}{'queries':>8}{'SQL ms':>8}{'CPU ms':>8}{'wall ms':>9}")
    totals = []
    for email, paths in PAGES.items():
        client = _client(email)
        for path in paths:
            cost = _measure(client, path, args.repeat)
            totals.append(cost)
            print(
                f"{email.split('@')[0]:<10}{path:<22}{cost['queries']:>8}{cost['sql']:>8.1f}"
                f"{cost['cpu']:>8.1f}{cost['wall']:>9.1f}"
            )
    print(
        f"{'mean':<32}{statistics.mean(c['queries'] for c in totals):>8.1f}"
        f"{statistics.mean(c['sql'] for c in totals):>8.1f}"
        f"{statistics.mean(c['cpu'] for c in totals):>8.1f}"
        f"{statistics.mean(c['wall'] for c in totals):>9.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
