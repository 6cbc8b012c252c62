"""gunicorn settings for production (docker-compose.yml, the Dockerfile) and the load benchmark.

    gunicorn config.wsgi -c config/gunicorn.py

Sized for a small machine: one worker process per core plus one, each with two threads
(gthread). A page spends part of its time waiting for PostgreSQL, during which the other thread
of the same process can run, and one slow page (a large export) does not hold up a whole
process. Not more threads: the pages are mostly Python (templates, the ORM), which runs one
thread at a time per process, so more threads add waiting, not throughput, and under overload
stretch every request instead of queueing the newest. Every value can be changed through the
environment without editing this file:

    WEB_CONCURRENCY        worker processes (default: cores + 1)
    GUNICORN_THREADS       threads per worker (default 2)
    GUNICORN_BIND          address (default 0.0.0.0:8000)
    GUNICORN_TIMEOUT       seconds before a silent worker is restarted (default 60)
    GUNICORN_MAX_REQUESTS  requests before a worker is replaced (default 1000, 0 = never)
    GUNICORN_ACCESS_LOG    access log file, "-" for standard output (default), "" for none

PostgreSQL connections: each thread keeps its own (DATABASE_CONN_MAX_AGE, health-checked), so
up to workers x threads connections, 6 on two cores: far below PostgreSQL's default 100.
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)
# Connections from the proxy in front are kept open between requests.
keepalive = 5
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
# A worker is replaced after this many requests (at a random point in the last 10%, so the
# workers do not all restart at once): memory that a large import or list left behind is freed.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# The application is imported once, in the master, before forking: workers start at once and
# share the imported code's memory.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The Docker image's /tmp may be on an overlay file system; heartbeat files belong in memory.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def pre_fork(server, worker):
    """No database connection opened while importing may be shared by forked workers. The
    objects the master holds (the imported code, the URL patterns, the screening engine's
    dictionaries) are frozen out of the garbage collector, whose passes in a worker would
    otherwise write to every page holding them and so copy them into each worker."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
    gc.freeze()


def describe() -> str:
    """One line for logs and benchmarks: what this configuration runs."""
    return (
        f"gunicorn {worker_class}, {workers} workers x {threads} threads, "
        f"keep-alive {keepalive} s, max-requests {max_requests} (+{max_requests_jitter} jitter), "
        f"preload {preload_app}, timeout {timeout} s"
    )


def when_ready(server):
    """Before the first fork: the URL patterns (every view module) are imported once here, to
    be shared by the workers, instead of by each worker's first request."""
    if preload_app:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018  (the import is the point)
    server.log.info(describe())
