"""Load benchmark: the main pages under concurrent users, through gunicorn on PostgreSQL.

    .venv/bin/python bench/load_bench.py [--users 50] [--seconds 60] [--workers 4]
                                         [--think 2.0] [--database icp_bench_load]

Creates its own PostgreSQL database (dropped first if it exists; never the app's), migrates it,
loads the reference library and seeds the demo enterprise (the data is the demo's: small and
synthetic), starts gunicorn on a free loopback port, logs in N users (spread over the demo's four
roles) and lets each one open the main pages of its role for the given time, pausing between pages
for a random think time (exponential, mean --think seconds; --think 0 hammers without a pause and
measures saturation instead). Traffic goes to 127.0.0.1 only, and every loop is bounded in time.

Prints per page and overall: requests, errors, p50 and p95 latency, and the throughput.
Target: p95 <= 300 ms for the main pages at 50 users.
"""

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "bench-load-password-1"

PAGES = {
    "manager@demo.example": [
        "/",
        "/trade/transactions/",
        "/screening/",
        "/parties/",
        "/policy/",
        "/organisation/",
        "/risk/",
        "/incidents/",
        "/training/",
        "/audits/",
        "/records/",
        "/manual/",
    ],
    "auditor@demo.example": ["/", "/audits/", "/trade/transactions/", "/records/", "/risk/"],
    "executive@demo.example": ["/", "/policy/", "/manual/", "/audits/", "/risk/"],
    # Staff are sent from /training/ to their own training page (a redirect, not a page).
    "staff@demo.example": ["/", "/policy/", "/training/mine/", "/incidents/"],
}


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
    )


def _environment(database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{database}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-load-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
    }


def _prepare(env: dict, database: str) -> None:
    _psql(f"DROP DATABASE IF EXISTS {database}")
    _psql(f"CREATE DATABASE {database}")
    manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["load_reference"],
        ["collectstatic", "--noinput", "-v", "0"],
        ["seed_demo", "--password", PASSWORD],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/healthz", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def _login(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    if "/accounts/login/" in answer.url:
        raise SystemExit(f"could not log in as {email}")
    return session


def _user(base, email, session, until, think, samples, errors, lock, seed):
    rng = random.Random(seed)
    pages = PAGES[email]
    while time.monotonic() < until:
        path = rng.choice(pages)
        started = time.perf_counter()
        try:
            status = session.get(base + path, timeout=30, allow_redirects=False).status_code
        except requests.RequestException:
            status = 0
        elapsed = time.perf_counter() - started
        with lock:
            samples[path].append(elapsed)
            if status != 200:
                errors[path] += 1
        if think:
            time.sleep(max(0.0, min(rng.expovariate(1 / think), until - time.monotonic())))


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--database", default="icp_bench_load")
    parser.add_argument("--keep", action="store_true", help="reuse the prepared database")
    args = parser.parse_args()

    env = _environment(args.database)
    if not args.keep:
        print("preparing the database (migrate, reference library, demo data) ...", flush=True)
        _prepare(env, args.database)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_up(base)
        emails = list(PAGES)
        sessions = [(emails[i % len(emails)], None) for i in range(args.users)]
        sessions = [(email, _login(base, email)) for email, _ in sessions]
        for email, session in sessions:  # warm every worker's caches and connections
            for path in PAGES[email]:
                session.get(base + path, timeout=60)
        samples, errors, lock = defaultdict(list), defaultdict(int), threading.Lock()
        until = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=_user,
                args=(base, email, session, until, args.think, samples, errors, lock, n),
            )
            for n, (email, session) in enumerate(sessions)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
        wall = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    everything = [value for values in samples.values() for value in values]
    print(
        f"\n{args.users} users, {args.seconds:.0f} s, think time {args.think} s, gunicorn "
        f"{args.workers} workers x {args.threads} threads, PostgreSQL, demo data (synthetic)"
    )
    print(f"{'page':<16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for path in sorted(samples):
        values = samples[path]
        print(
            f"{path:<16}{len(values):>9}{errors[path]:>8}"
            f"{statistics.median(values) * 1000:>9.0f}{_pct(values, 0.95):>9.0f}"
        )
    print(
        f"{'all':<16}{len(everything):>9}{sum(errors.values()):>8}"
        f"{statistics.median(everything) * 1000:>9.0f}{_pct(everything, 0.95):>9.0f}"
    )
    print(f"throughput {len(everything) / wall:.1f} requests/s")


if __name__ == "__main__":
    sys.exit(main())
