"""Production serving (issue #18): one gunicorn configuration, used by docker-compose, the
Dockerfile and the load benchmark alike."""

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

from django.urls import clear_url_caches, get_resolver

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "gunicorn.py"


def _config(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_the_gunicorn_configuration_suits_a_small_machine(monkeypatch):
    config = _config(monkeypatch)
    assert config["worker_class"] == "gthread"
    assert config["workers"] >= 2 and config["threads"] == 2
    assert config["preload_app"] is True
    assert config["keepalive"] > 0
    assert config["max_requests"] > 0 and 0 < config["max_requests_jitter"] < config["max_requests"]
    assert "gthread" in config["describe"]()


def test_the_environment_sizes_it(monkeypatch):
    config = _config(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_THREADS="1")
    assert (config["workers"], config["threads"]) == (5, 1)


def test_production_and_the_load_benchmark_run_the_same_configuration():
    assert "gunicorn config.wsgi -c config/gunicorn.py" in (ROOT / "docker-compose.yml").read_text()
    assert '"-c", "config/gunicorn.py"' in (ROOT / "Dockerfile").read_text()
    bench = (ROOT / "bench" / "load_bench.py").read_text()
    assert 'GUNICORN_CONFIG = ROOT / "config" / "gunicorn.py"' in bench
    assert '"-c", str(GUNICORN_CONFIG)' in bench
    screening = (ROOT / "bench" / "screening_http_bench.py").read_text()
    assert '"config.wsgi", "-c", "config/gunicorn.py"' in screening


def test_database_connections_persist_with_health_checks_on_postgresql():
    # SQLite in tests: the setting is read where PostgreSQL is configured.
    source = (ROOT / "config" / "settings.py").read_text()
    assert 'DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE"' in source
    assert 'DATABASES["default"]["CONN_HEALTH_CHECKS"] = True' in source


def test_the_master_shares_what_it_imported_with_the_workers(monkeypatch):
    """Preloaded: the URL patterns are imported before the first fork, and the garbage
    collector leaves the master's objects alone in the workers (frozen)."""
    config = _config(monkeypatch)
    clear_url_caches()
    assert "url_patterns" not in vars(get_resolver())
    logged = []
    config["when_ready"](SimpleNamespace(log=SimpleNamespace(info=logged.append)))
    assert "url_patterns" in vars(get_resolver())  # every view module imported
    assert logged and "gthread" in logged[0]
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_celery_worker_freezes_its_imports_before_the_pool_forks():
    from celery.signals import worker_init

    from config.celery import freeze_before_fork

    assert freeze_before_fork in [ref() for _key, ref in worker_init.receivers]
    try:
        freeze_before_fork(sender=None)  # the signal itself would also run Celery's Django fixup
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
