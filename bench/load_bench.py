"""Load benchmark: the main pages under concurrent users, through gunicorn on PostgreSQL.

    .venv/bin/python bench/load_bench.py [--users 50] [--seconds 60] [--think 2.0]
                                         [--workers N] [--threads N] [--database icp_bench_load]

Creates its own PostgreSQL database (dropped first if it exists; never the app's), migrates it,
loads the reference library and seeds the demo enterprise (the data is the demo's: small and
synthetic), starts gunicorn with the production configuration (config/gunicorn.py, printed
with the results; --workers/--threads override its sizing) on a free loopback port, logs in N users (spread over the demo's four
roles) and lets each one open the main pages of its role for the given time, pausing between pages
for a random think time (exponential, mean --think seconds; --think 0 hammers without a pause and
measures saturation instead). Traffic goes to 127.0.0.1 only, and every loop is bounded in time.

Prints per page and overall: requests, errors, p50 and p95 latency, and the throughput.
Target: p95 <= 300 ms for the main pages at 50 users.
"""

import argparse
import json
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
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.py"

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


def _server_config(env: dict) -> str:
    """The production gunicorn configuration as this run's environment sizes it."""
    return subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "-c",
            "import runpy, sys; print(runpy.run_path(sys.argv[1])['describe']())",
            str(GUNICORN_CONFIG),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


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


_SESSIONS_SCRIPT = """
import json, sys
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
keys = []
for email in sys.argv[1:]:
    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""


def _sessions(base: str, env: dict, emails: list[str]) -> list[requests.Session]:
    """Signed-in sessions for `emails`, made on the server as a login makes them, without the
    password hash a real login costs (about 0.3 s of CPU each, several seconds on a busy
    machine): the benchmark measures pages, not logins. Each role also logs in for real."""
    output = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", _SESSIONS_SCRIPT, *emails],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sessions = []
    for key in json.loads(output.strip().splitlines()[-1]):
        session = requests.Session()
        session.cookies.set("sessionid", key, domain="127.0.0.1", path="/")
        sessions.append(session)
    return sessions


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
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default: as in production)"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="threads per worker (default: as in production)"
    )
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
    # The production configuration (config/gunicorn.py, as docker-compose.yml and the Dockerfile
    # run it); only the address, and the sizing when asked for, differ.
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    env["GUNICORN_ACCESS_LOG"] = ""
    env["GUNICORN_LOG_LEVEL"] = "warning"
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    server_config = _server_config(env)
    print(server_config, flush=True)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-c", str(GUNICORN_CONFIG)],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_up(base)
        emails = list(PAGES)
        # Signing in happens before the measured window: each role through the login page,
        # the other users with sessions made on the server (see _sessions).
        logins = time.monotonic()
        users = [emails[i % len(emails)] for i in range(args.users)]
        real = [_login(base, email) for email in users[: len(emails)]]
        made = _sessions(base, env, users[len(emails) :])
        sessions = list(zip(users, real + made, strict=True))
        logins = time.monotonic() - logins
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
        f"\n{args.users} users, {args.seconds:.0f} s, think time {args.think} s, PostgreSQL, "
        f"demo data (synthetic), load average {_load()}\n{server_config}"
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
    print(f"(signing in {len(sessions)} users before the measured window took {logins:.1f} s)")


if __name__ == "__main__":
    sys.exit(main())
