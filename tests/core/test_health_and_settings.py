import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k" * 20 + "Q7#vT9!pZ2@xL5$wN8^rB4&yM6*cH3(jF1)" + "s" * 10


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "filesystem", "eager"}


def _manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DJANGO_SECRET_KEY": "", "DJANGO_ALLOWED_HOSTS": "icp.example.com"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "change-me", "DJANGO_ALLOWED_HOSTS": "x"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": GOOD_SECRET, "DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_mode_refuses_to_start_without_real_secret_and_hosts(env, complaint):
    result = _manage("check", DJANGO_DEBUG="false", **env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_check_deploy_passes_in_production_mode():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=GOOD_SECRET,
        DJANGO_ALLOWED_HOSTS="icp.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
