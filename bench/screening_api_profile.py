"""Profile one API batch through the Django path (test client, no HTTP server).

    DATABASE_URL=postgres://.../icp_bench_screening .venv/bin/python \
        bench/screening_api_profile.py [--batch-size 100] [--batches 5] [--top 30]

Needs a database prepared by ``bench/screening_http_bench.py --keep`` (the demo organisation,
its manager's membership and the SYNTHETIC list BENCH-SYN) and its files (the list index
artefacts under var/bench-screening, ``ICP_VAR_DIR``). Makes its own API token, posts
--batches batches of --batch-size names (half variants of listed names, half unlisted) and
prints, for the last batch, the SQL query count by statement kind and the cProfile top
functions by cumulative time. Every screening it makes is stored, as in production.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("API_THROTTLE_RATE", "1000000/minute")
# The files (list index artefacts) of the database the HTTP bench prepared.
os.environ.setdefault("ICP_VAR_DIR", str(ROOT / "var" / "bench-screening"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from accounts.models import Membership
    from accounts.tokens import api_token_create
    from screening.models import ListedEntity, ScreeningList

    membership = Membership.objects.get(user__email="manager@demo.example")
    _token, raw = api_token_create(
        organisation=membership.organisation, user=membership.user, name="profile"
    )
    version = ScreeningList.objects.get(code="BENCH-SYN").current_version
    names = list(ListedEntity.objects.filter(version=version).values_list("name", flat=True)[:5000])
    rng = random.Random(args.seed)
    client = APIClient(SERVER_NAME="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")

    def batch():
        return {
            "parties": [
                {"name": rng.choice(names)}
                if rng.random() < 0.5
                else {"name": f"Unlisted Party {rng.randrange(10**6)} Trading"}
                for _ in range(args.batch_size)
            ]
        }

    client.post("/api/v1/screen", batch(), format="json")  # warm: mapping, first queries
    for number in range(args.batches):
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            profiler.enable()
            response = client.post("/api/v1/screen", batch(), format="json")
            profiler.disable()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert response.status_code == 200, response.content[:500]
        print(
            f"batch {number + 1}: {seconds * 1000:.0f} ms, "
            f"{seconds * 1000 / args.batch_size:.2f} ms/name, "
            f"CPU {cpu * 1000 / args.batch_size:.2f} ms/name (profiled), {len(queries)} queries"
        )
    kinds = Counter(q["sql"].split(" ", 1)[0].upper() for q in queries.captured_queries)
    print("queries of the last batch by kind:", dict(kinds))
    tables = Counter()
    for q in queries.captured_queries:
        sql = q["sql"]
        for word in ("FROM", "INTO", "UPDATE"):
            if f'{word} "' in sql:
                tables[sql.split(f'{word} "', 1)[1].split('"', 1)[0]] += 1
                break
    print("by table:", dict(tables.most_common(15)))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
