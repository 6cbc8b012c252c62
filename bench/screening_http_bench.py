"""Screening benchmark through the Django path: PostgreSQL, gunicorn, the HTTP API.

    .venv/bin/python bench/screening_http_bench.py [--entities 15000] [--batches 100]
        [--batch-size 20] [--workers 2] [--clients 1] [--customers 0]
        [--database icp_bench_screening] [--keep]

The list is SYNTHETIC: ``bench/screening_bench.py``'s generator (made-up Latin, Chinese and
other-script names), written as an ICP CSV file and imported with the list-import service, as
the import job does; that import builds the version's index file once. Then gunicorn starts
(--workers processes) and the demo manager's API token screens batches of --batch-size names
(half are variants of listed names, half unlisted) over HTTP; every screening and its hits is
stored as in production. --clients callers send their batches at the same time (each
waits for its answer before sending the next), as a chamber's members and their ERP
connectors do; names per second is the sum over the callers. With --customers N every party is
drawn from a register of N (half variants of listed names), as an ERP screens its customers
order after order: a name screened earlier the same day takes the results kept for the day.

Prints: import time and index build time, the index file size, each gunicorn worker's memory
(RSS, PSS and private = USS, from /proc/<pid>/smaps_rollup) after the run, latency per
batch and per name (p50/p95) with names per second, and the CPU time the gunicorn workers
spent per name (with the machine's load average: on a shared machine the wall-clock figures
measure the other work too, the CPU time much less so). Creates its own PostgreSQL database
(dropped first; never the app's); traffic goes to 127.0.0.1 only. The API throttle is raised
for the run (API_THROTTLE_RATE) so the benchmark measures the server, not the limit.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_bench import _environment, _free_port, _psql, _wait_up  # noqa: E402
from screening.engine.native import NATIVE_MODULES  # noqa: E402

SETUP = r"""
import csv, io, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, ".")
import django
django.setup()
from accounts.models import Membership
from accounts.tokens import api_token_create
from bench.screening_bench import _Generator
from screening.models import ListIndexArtefact, ScreeningList
from screening.services.lists import list_create, list_import

entities, seed = int(sys.argv[1]), int(sys.argv[2])
generator = _Generator(seed, entities)
rows = io.StringIO()
writer = csv.writer(rows)
writer.writerow(["list_code", "entity_id", "entity_type", "name", "aliases", "country"])
names = []
for number in range(entities):
    entity = generator.entity(f"SYN-{number:06d}")
    texts = [a.text for a in entity.names]
    names.append(texts[0])
    kind = "individual" if entity.entity_type == "person" else "entity"
    writer.writerow([
        "BENCH-SYN", f"SYN-{number:06d}", kind, texts[0], "|".join(texts[1:]),
        (entity.countries or ("",))[0],
    ])
membership = Membership.objects.filter(user__email="manager@demo.example").first()
organisation = membership.organisation
screening_list = ScreeningList.objects.filter(code="BENCH-SYN").first() or list_create(
    organisation=organisation, code="BENCH-SYN", name_zh="合成基准名单", name_en="Synthetic list",
    membership=membership,
)
artefact = ListIndexArtefact.objects.filter(
    version=screening_list.current_version, entity_count=entities
).first()
seconds = None  # --keep with the list of this size already imported: no new import
if artefact is None:
    started = time.perf_counter()
    outcome = list_import(
        screening_list=screening_list, content=rows.getvalue().encode(), file_format="icp-csv",
        filename="synthetic.csv",
    )
    seconds = round(time.perf_counter() - started, 2)
    artefact = ListIndexArtefact.objects.get(version=outcome.version)
_token, raw = api_token_create(organisation=organisation, user=membership.user, name="bench")
print(json.dumps({
    "token": raw, "names": names, "import_seconds": seconds,
    "build_seconds": artefact.build_seconds, "artefact_bytes": artefact.size,
    "aliases": artefact.alias_count, "entities": artefact.entity_count,
}))
"""


def _forget_search_results(redis_url: str) -> int:
    """Drop the search results kept for the day (screening.services.search_cache): the names
    of a run are the same as those of an earlier run with the same seed, which would then
    measure the kept results, not the search. Returns how many were dropped."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match="*screening-search:*", count=1000))
    return client.delete(*keys) if keys else 0


def _database_exists(database: str) -> bool:
    found = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return found.stdout.strip() == "1"


def _memory(pid: int) -> dict:
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        values[key] = int(value.split()[0])
    return {
        "rss_mb": round(values["Rss"] / 1024, 1),
        "pss_mb": round(values["Pss"] / 1024, 1),
        "uss_mb": round((values["Private_Clean"] + values["Private_Dirty"]) / 1024, 1),
    }


def _index_pages(pid: int) -> tuple[float, float]:
    """Resident MB of the mapped index files in this process, and the part of it private to
    this process (pages no other process has touched: the index's share of its USS)."""
    resident = private = 0
    inside = False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        if not line.split()[0].endswith(":"):  # a mapping's header line
            inside = line.endswith(".midx")
        elif inside and line.startswith("Rss:"):
            resident += int(line.split()[1])
        elif inside and line.startswith(("Private_Clean:", "Private_Dirty:")):
            private += int(line.split()[1])
    return round(resident / 1024, 1), round(private / 1024, 1)


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (/proc/<pid>/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _workers(server) -> list[int]:
    return [
        int(pid)
        for pid in subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
    ]


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _variant(rng: random.Random, name: str) -> str:
    words = name.split()
    if len(words) > 1 and rng.random() < 0.5:
        rng.shuffle(words)
    text = " ".join(words)
    if len(text) > 6 and rng.random() < 0.5:
        i = rng.randrange(1, len(text) - 1)
        text = text[:i] + text[i + 1 :]
    return text


def _psql_in(database: str, sql: str) -> str:
    """Run ``sql`` in ``database``; its output, unaligned."""
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qAtc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=15000)
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=1, help="callers sending at once")
    parser.add_argument(
        "--customers",
        type=int,
        default=0,
        help="draw every party from a register of this many (0: a new name each time)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="icp_bench_screening")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the prepared database and its synthetic list"
    )
    args = parser.parse_args()

    env = _environment(args.database)
    env["API_THROTTLE_RATE"] = "1000000/minute"
    env["ICP_VAR_DIR"] = str(ROOT / "var" / "bench-screening")
    manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
    if args.keep and not _database_exists(args.database):
        print(f"--keep: no database {args.database} yet, preparing one", flush=True)
        args.keep = False
    if not args.keep:
        _psql(f"DROP DATABASE IF EXISTS {args.database}")
        _psql(f"CREATE DATABASE {args.database}")
        print("preparing the database (migrate, reference library, demo data) ...", flush=True)
    for command in (
        ()
        if args.keep
        else (
            ["migrate", "--noinput", "-v", "0"],
            ["load_reference"],
            ["collectstatic", "--noinput", "-v", "0"],
            ["seed_demo"],
        )
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"importing a synthetic list of {args.entities} entities (unless kept) ...", flush=True)
    setup = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", SETUP, str(args.entities), str(args.seed)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if setup.returncode:
        raise SystemExit(setup.stderr)
    prepared = json.loads(setup.stdout.strip().splitlines()[-1])
    # The planner's statistics as production keeps them: PostgreSQL's autovacuum analyses a
    # table after enough changes, but a server run with it off (as on the machines this bench
    # ran on) never does, and the planner then reads every listed entity to find the content
    # hashes of a few hits (0.8 ms of PostgreSQL's CPU a name, measured).
    autovacuum = _psql_in(args.database, "SHOW autovacuum")
    _psql_in(args.database, "ANALYZE")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    print(
        f"search results kept from earlier runs dropped: {_forget_search_results(env['REDIS_URL'])}"
    )
    # The production configuration (config/gunicorn.py: gthread, preload), --workers processes.
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-c", "config/gunicorn.py"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(args.workers),
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_LOG_LEVEL": "warning",
        },
    )
    try:
        _wait_up(base)
        names = prepared["names"]
        # --customers: every party comes from a register of that many customers (half of
        # them variants of listed names), as an ERP screens its customers order after order.
        register_rng = random.Random(args.seed - 1)
        register = [
            _variant(register_rng, register_rng.choice(names))
            if register_rng.random() < 0.5
            else f"Unlisted Party {register_rng.randrange(10**6)} Trading"
            for _ in range(args.customers)
        ]
        sent: set[str] = set()
        sent_lock = threading.Lock()
        repeats: list[int] = []
        local = threading.local()

        def post(seed: int) -> float:
            """Send one batch from this caller's session; the latency in ms."""
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.headers["Authorization"] = f"Token {prepared['token']}"
            rng = random.Random(seed)
            parties = []
            for _ in range(args.batch_size):
                if register:
                    parties.append({"name": rng.choice(register)})
                elif rng.random() < 0.5:
                    parties.append({"name": _variant(rng, rng.choice(names))})
                else:
                    parties.append({"name": f"Unlisted Party {rng.randrange(10**6)} Trading"})
            with sent_lock:
                repeats.append(sum(p["name"] in sent for p in parties))
                sent.update(p["name"] for p in parties)
            started = time.perf_counter()
            response = local.session.post(
                base + "/api/v1/screen", json={"parties": parties}, timeout=300
            )
            response.raise_for_status()
            return (time.perf_counter() - started) * 1000

        workers = _workers(server)
        for _ in range(600):  # the master forks its workers one after the other
            if len(workers) >= args.workers:
                break
            time.sleep(0.1)
            workers = _workers(server)
        # Private memory before any screening: what it grows by is at most what the index
        # (and the screening code's caches) costs each process beyond the shared mapping.
        uss_start = {pid: _memory(pid)["uss_mb"] for pid in workers}
        # The first screenings in each worker: no cold build (sent one at a time).
        first = [post(args.seed * 10**6 + n) / args.batch_size for n in range(args.workers * 2)]
        first_count = len(repeats)
        cpu_before = _cpu_seconds(workers)
        load_before = os.getloadavg()[0]
        started_all = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as callers:
            latencies = list(callers.map(post, range(args.seed, args.seed + args.batches)))
        wall = time.perf_counter() - started_all
        cpu = _cpu_seconds(workers) - cpu_before
        load = (load_before + os.getloadavg()[0]) / 2
        memory = []
        for pid in workers:
            figures = _memory(pid)
            figures["mapped_index_mb"], figures["index_private_mb"] = _index_pages(pid)
            if pid in uss_start:  # a worker restarted during the run has no starting figure
                figures["uss_growth_mb"] = round(figures["uss_mb"] - uss_start[pid], 1)
            memory.append(figures)
    finally:
        server.terminate()
        server.wait(timeout=30)
    per_name = [value / args.batch_size for value in latencies]
    result = {
        "synthetic_list": {
            "entities": prepared["entities"],
            "aliases": prepared["aliases"],
            "import_seconds": prepared["import_seconds"],
            "index_build_seconds": prepared["build_seconds"],
            "index_file_mb": round(prepared["artefact_bytes"] / 1e6, 1),
        },
        "first_batches_ms_per_name": [round(v, 1) for v in first],
        "batch_ms_p50": round(statistics.median(latencies), 1),
        "batch_ms_p95": round(_pct(latencies, 0.95), 1),
        "name_ms_p50": round(statistics.median(per_name), 2),
        "name_ms_p95": round(_pct(per_name, 0.95), 2),
        "names_per_second": round(args.batches * args.batch_size / wall, 1),
        # What the server spent, whatever else the machine ran: CPU time of the gunicorn
        # workers per name screened, and the names per second that makes on one idle core.
        "server_cpu_ms_per_name": round(1000 * cpu / (args.batches * args.batch_size), 2),
        "names_per_cpu_second": round(args.batches * args.batch_size / cpu, 1) if cpu else None,
        "load_average_1min": round(load, 1),
        "cpus": os.cpu_count(),
        "postgres_autovacuum": autovacuum,
        "analysed_before_the_run": True,
        # The engine modules the server ran compiled (make native), none when from source.
        "compiled_engine_modules": NATIVE_MODULES,
        "clients": args.clients,
        "customers": args.customers or None,
        # Parties of the timed batches whose name an earlier batch of the run had sent (the
        # server then takes the results kept for the day: screening.services.search_cache).
        "repeated_share": round(sum(repeats[first_count:]) / (args.batches * args.batch_size), 3),
        # The index's private memory over all the workers, against the size of one index.
        "index_private_mb_all_workers": round(sum(w["index_private_mb"] for w in memory), 1),
        "workers": memory,
    }
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
