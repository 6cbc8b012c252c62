"""Re-screening a party register through the job: chunks on Celery workers, wall time.

    .venv/bin/python bench/screening_rescreen_bench.py [--entities 100000] [--parties 100000]
        [--concurrency 2] [--database icp_bench_screening] [--redis-db 9] [--timeout 3600]
        [--prepare] [--parties-only]

Needs a database with the demo organisation: the one ``bench/screening_http_bench.py``
prepares, or --prepare (drops and creates --database: migrate, reference library, demo). The
list and the parties are SYNTHETIC (``bench/screening_bench.py``'s generator): a list of
--entities entities is imported with the list-import service (which builds its index file)
unless it is there already, and --parties parties are added to the demo organisation (half of
them variants of listed names, half unlisted names; those of an earlier run with the same
--seed are reused, the other runs' made inactive; --parties-only just adds them). Then a
Celery worker with --concurrency processes starts and the re-screening job runs as in
production (``rescreen_enqueue``: chunks of 500 parties in a Celery group, one progress bar, a
final step). Prints the progress every
--every seconds and the wall time to the end (or, at --timeout, how far it got, so the rest
can be extrapolated). Uses its own Redis database (--redis-db) so no other worker takes its
tasks.

Also measured: the CPU the worker processes spent (the worker and its pool processes, read
from /proc) per party screened, each chunk task's duration (from the worker's log: far below
the 15-minute soft time limit?), and the machine's load average while the job ran.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_bench import _environment, _prepare  # noqa: E402
from bench.screening_http_bench import _index_pages, _memory  # noqa: E402

CHUNK_DONE = re.compile(r"Task screening\.rescreen_chunk\[[^\]]+\] succeeded in ([0-9.]+)s")
TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _tree_cpu_seconds(pid: int) -> float:
    """User and system CPU of a process, of its children still running, and of the children
    it has waited for (a pool process replaced by Celery is counted in its parent)."""

    def stat(p: int) -> list[str]:
        text = Path(f"/proc/{p}/stat").read_text()
        return text[text.rindex(")") + 2 :].split()

    fields = stat(pid)
    # utime, stime, cutime, cstime are fields 14-17 of /proc/PID/stat (11-14 after the name).
    total = sum(int(v) for v in fields[11:15])
    for child in _children(pid):
        try:
            total += _tree_cpu_seconds(child) * TICKS
        except FileNotFoundError:
            continue  # it ended meanwhile: its CPU is in the parent's cutime now
    return total / TICKS


SETUP = r"""
import csv, io, json, os, random, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, ".")
import django
django.setup()
from accounts.models import Membership
from bench.screening_bench import _Generator
from screening.models import ScreeningList
from screening.services.lists import list_create, list_import
from screening.models import Party

entities, parties, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
from django.utils import timezone
setup_started = timezone.now()
membership = Membership.objects.filter(user__email="manager@demo.example").first()
organisation = membership.organisation
code = f"BENCH-R{entities}"
screening_list = ScreeningList.objects.filter(code=code).first()
generator = _Generator(seed, entities)
names, started = [], time.perf_counter()
if screening_list is None or screening_list.current_version is None:
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["list_code", "entity_id", "entity_type", "name", "aliases", "country"])
    for number in range(entities):
        entity = generator.entity(f"R-{number:06d}")
        texts = [a.text for a in entity.names]
        names.append(texts[0])
        kind = "individual" if entity.entity_type == "person" else "entity"
        writer.writerow([code, f"R-{number:06d}", kind, texts[0], "|".join(texts[1:]),
                         (entity.countries or ("",))[0]])
    screening_list = screening_list or list_create(
        organisation=organisation, code=code, name_zh="合成基准名单（大）",
        name_en="Synthetic list (large)", membership=membership,
    )
    list_import(screening_list=screening_list, content=rows.getvalue().encode(),
                file_format="icp-csv", filename="synthetic-large.csv")
else:
    names = list(screening_list.current_version.entities.values_list("name", flat=True))
imported = time.perf_counter() - started
rng = random.Random(seed)
prefix = f"BENCH-{seed}-"
if sys.argv[4] == "1":  # only this seed's parties are active (earlier runs' are kept inactive)
    Party.objects.filter(
        organisation=organisation, reference__startswith="BENCH-", is_active=True
    ).exclude(reference__startswith=prefix).update(is_active=False)
existing = set(
    Party.objects.filter(organisation=organisation, reference__startswith=prefix)
    .values_list("reference", flat=True)
)
batch = []
for number in range(parties):
    name = rng.choice(names) if number % 2 == 0 else f"Unlisted Party {number} Trading"
    if f"{prefix}{number}" in existing:
        continue  # made by an earlier run (or --parties-only) with this seed
    batch.append(Party(organisation=organisation, name=name, reference=f"{prefix}{number}"))
    if len(batch) == 5000:
        Party.objects.bulk_create(batch)
        batch = []
Party.objects.bulk_create(batch)
print(json.dumps({
    "setup_started": setup_started.isoformat(),
    "import_seconds": round(imported, 1),
    "active_parties": Party.objects.filter(organisation=organisation, is_active=True).count(),
}))
"""

START = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, ".")
import django
django.setup()
from django.db import transaction
from accounts.models import Membership
from core.models import Job
from screening.jobs import RESCREEN_KIND, rescreen_enqueue
membership = Membership.objects.filter(user__email="manager@demo.example").first()
# Importing the list in this run already started a re-screening of the organisation: time
# that one (a job left pending by another run, whose tasks went elsewhere, is not it).
job = Job.objects.filter(
    kind=RESCREEN_KIND, organisation=membership.organisation,
    status__in=[Job.Status.PENDING, Job.Status.RUNNING], created_at__gte=sys.argv[1],
).order_by("created_at").first()
if job is None:
    with transaction.atomic():
        job = rescreen_enqueue(organisation=membership.organisation, user=membership.user,
                               reason="benchmark")
print(job.pk)
"""

POLL = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, ".")
import django
django.setup()
from core.models import Job
from screening.models import Screening
job = Job.objects.get(pk=sys.argv[1])
print(json.dumps({"status": job.status, "progress": job.progress,
                  "screened": Screening.objects.filter(job=job).count(),
                  "error": (job.error or "")[:300]}))
"""


def _python(env, script, *args) -> str:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", script, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="icp_bench_screening")
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--timeout", type=int, default=3600)
    parser.add_argument("--every", type=int, default=30)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--prepare", action="store_true", help="drop and prepare --database")
    parser.add_argument(
        "--parties-only",
        action="store_true",
        help="only add this seed's parties (while another run goes on; a later run reuses them)",
    )
    args = parser.parse_args()

    env = _environment(args.database)
    env["REDIS_URL"] = f"redis://127.0.0.1:6379/{args.redis_db}"
    env["ICP_VAR_DIR"] = str(ROOT / "var" / "bench-screening")
    if args.prepare:
        print(f"preparing {args.database} (migrate, reference library, demo) ...", flush=True)
        _prepare(env, args.database)
    print(f"list of {args.entities} entities, {args.parties} parties ...", flush=True)
    prepared = json.loads(
        _python(env, SETUP, args.entities, args.parties, args.seed, 0 if args.parties_only else 1)
    )
    if args.parties_only:
        print(json.dumps(prepared))
        return
    print(json.dumps(prepared), flush=True)
    log_path = Path(env["ICP_VAR_DIR"]) / "rescreen-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")  # the worker writes it until it is stopped
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(args.concurrency),
            "--loglevel",
            "info",  # each task's "succeeded in ...s": the chunk durations
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    progress = []
    try:
        for _second in range(300):  # until the worker and its pool processes are up
            time.sleep(1)
            if " ready." in log_path.read_text():
                break
        time.sleep(5)
        cpu_before = _tree_cpu_seconds(worker.pid)
        job_id = _python(env, START, prepared["setup_started"])
        started = time.perf_counter()
        while True:
            time.sleep(args.every)
            state = json.loads(_python(env, POLL, job_id))
            seconds = round(time.perf_counter() - started)
            cpu = _tree_cpu_seconds(worker.pid) - cpu_before
            progress.append(
                {
                    "seconds": seconds,
                    **state,
                    "worker_cpu": round(cpu, 1),
                    "load1": os.getloadavg()[0],
                }
            )
            print(json.dumps(progress[-1]), flush=True)
            if state["status"] in ("succeeded", "failed") or seconds > args.timeout:
                break
        worker_cpu = _tree_cpu_seconds(worker.pid) - cpu_before
        memory = []
        for pid in _children(worker.pid):  # the pool processes that screened
            figures = _memory(pid)
            figures["mapped_index_mb"], figures["index_private_mb"] = _index_pages(pid)
            memory.append(figures)
    finally:
        worker.terminate()  # a warm shutdown: the running chunks finish first
        try:
            worker.wait(timeout=180)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    chunks = [float(m.group(1)) for m in CHUNK_DONE.finditer(log_path.read_text())]
    last = progress[-1]
    loads = [p["load1"] for p in progress]
    result = {
        "synthetic": True,
        "entities": args.entities,
        "active_parties": prepared["active_parties"],
        "list_import_seconds": prepared["import_seconds"],
        "celery_processes": args.concurrency,
        "status": last["status"],
        "screened": last["screened"],
        "wall_seconds": last["seconds"],
        "parties_per_second": round(last["screened"] / last["seconds"], 1),
        "worker_cpu_seconds": round(worker_cpu, 1),
        "worker_cpu_ms_per_party": round(1000 * worker_cpu / max(1, last["screened"]), 1),
        "chunks_finished": len(chunks),
        "chunk_seconds": {
            "min": min(chunks, default=0),
            "median": round(statistics.median(chunks), 1) if chunks else 0,
            "max": max(chunks, default=0),
        },
        "load1": {"min": min(loads), "mean": round(statistics.mean(loads), 1), "max": max(loads)},
        # The index files as the pool processes hold them: resident (shared) and private.
        "pool_processes_memory": memory,
        "progress": progress,
    }
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
