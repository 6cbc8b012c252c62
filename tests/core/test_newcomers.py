"""make run tells a newcomer where to go and how to sign in; e-mail links follow its port."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_demo_banner_boxes_the_address_and_the_logins(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    (tmp_path / "demo-credentials.txt").write_text(
        "manager@demo.example  s3cret\nstaff@demo.example  s3cret\n", encoding="utf-8"
    )
    call_command("demo_banner", port="8123")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("+-") and out[-1] == out[0]
    assert all(len(line) == len(out[0]) for line in out)
    text = "\n".join(out)
    assert "http://127.0.0.1:8123/" in text
    assert "manager@demo.example  /  s3cret" in text


def test_demo_banner_without_credentials_says_what_to_do(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("demo_banner")
    assert "seed_demo --password" in capsys.readouterr().out


def _site_url(**env):
    environment = {**os.environ, **env}
    environment.pop("ICP_SITE_URL", None) if "ICP_SITE_URL" not in env else None
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'config.settings'); from django.conf import settings; print(settings.ICP_SITE_URL)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_site_url_follows_the_port_make_run_was_given_unless_set():
    assert _site_url(ICP_PORT="8123") == "http://127.0.0.1:8123"
    assert _site_url(ICP_PORT="8123", ICP_SITE_URL="https://icp.example.com/") == (
        "https://icp.example.com"
    )
