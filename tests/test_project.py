"""Project-wide guarantees: migrations match models, the Chinese catalogue is complete."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[1]
CATALOGUE = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_chinese_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated: {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


def test_every_marked_string_is_in_the_chinese_catalogue(tmp_path):
    """Run makemessages on a copy of the catalogue: no msgid may be new."""
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (make test installs it)")
    scratch = tmp_path / "django.po"
    shutil.copy(CATALOGUE, scratch)
    before = {entry.msgid for entry in polib.pofile(str(scratch)) if not entry.obsolete}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=tests/*",
            "--ignore=var/*",
            "--ignore=bench/*",
        ],
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
    )
    try:
        after = {entry.msgid for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    finally:
        shutil.copy(scratch, CATALOGUE)
    new = sorted(after - before)
    assert not new, f"strings marked for translation but missing from the catalogue: {new[:15]}"


def test_english_dates_read_as_in_the_pdfs():
    """2026-11-28 18:04, not "Nov. 28, 2026, 6:04 p.m." (which ends a sentence with "p.m..")."""
    import datetime

    from django.utils import translation
    from django.utils.formats import date_format

    moment = datetime.datetime(2026, 11, 28, 18, 4)
    with translation.override("en"):
        assert date_format(moment, "DATETIME_FORMAT") == "2026-11-28 18:04"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "2026-11-28 18:04"
        assert date_format(moment.date()) == "2026-11-28"
    with translation.override("zh-hans"):
        assert date_format(moment, "DATETIME_FORMAT") == "2026年11月28日 18:04"


def test_the_image_installs_only_the_runtime_lock():
    """The runtime stage's pip installs read requirements.txt (hash-pinned, no test tools, see
    tests/test_requirements.py) and nothing else: no dev lock, no package named inline. The
    build stage that compiles the screening engine adds only the hashed mypy lock
    (requirements-native.txt), and only the compiled modules and their record leave it."""
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    stages = re.split(r"^FROM ", dockerfile, flags=re.MULTILINE)[1:]
    assert [stage.split("\n", 1)[0] for stage in stages] == [
        "python:3.11-slim-bookworm AS native",
        "python:3.11-slim-bookworm",
    ]
    expected = {
        0: "pip install --require-hashes -r requirements.txt -r requirements-native.txt",
        1: "pip install --require-hashes -r requirements.txt",
    }
    for number, stage in enumerate(stages):
        lines = stage.replace("\\\n", " ").splitlines()
        commands = [c.strip() for line in lines for c in line.split("&&") if "pip install" in c]
        packages = [c for c in commands if not c.endswith('--upgrade "pip>=25"')]
        assert packages
        for command in packages:
            assert command.endswith(expected[number]), command
    copied = [line for line in stages[1].splitlines() if line.startswith("COPY --from=")]
    assert copied == [
        "COPY --from=native /app/screening/engine/*.so /app/screening/engine/native.json "
        "screening/engine/"
    ]
    assert "requirements-dev" not in dockerfile


def test_no_database_or_broker_state_is_committed():
    """Runtime state (SQLite files, the filesystem broker's queues and exchange tables) lives in
    var/, which git ignores; none of it is in the repository."""
    if shutil.which("git") is None or not (BASE_DIR / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=BASE_DIR, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    state = [
        path
        for path in tracked
        if path.endswith((".db", ".sqlite", ".sqlite3", ".exchange", ".msg"))
        or path.startswith(("var/", "control/"))
    ]
    assert not state, state
