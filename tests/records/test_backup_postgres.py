"""`make backup` / `make restore` on PostgreSQL: pg_dump and pg_restore, round trip (issue #18).

Restores the seeded demo into a scratch database of its own (`<test database>_restore_<pid>`,
dropped afterwards) and compares it with the original: the row count of every model, every
regulated record, the event log entry by entry (and that each chain still verifies) and the hash
of every stored file. Runs in CI's PostgreSQL pass (.ci/run, REQUIRE_SERVICES=1).
"""

import hashlib
import os
import tarfile
import warnings

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import load_backend

from accounts.models import Organisation
from records.models import ChainHead, EventLogEntry
from records.regulated import regulated_models
from records.services.backup import backup_create, backup_restore, storage_files
from records.services.eventlog import event_log_seal, event_log_verify
from tests.conftest import REQUIRE_SERVICES

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ALIAS = "restore_check"


@pytest.fixture
def scratch_database():
    """A second, empty PostgreSQL database reachable as the connection alias ALIAS."""
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but the tests do not run on PostgreSQL")
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    # Created on the fly, not in settings: Django's test case lets such a connection through.
    connections[ALIAS] = _wrapper({**connection.settings_dict, "NAME": name}, ALIAS)
    try:
        yield name
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wrapper(settings_dict, alias):
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)


def _hashes(storage):
    hashes = {}
    for name in storage_files(storage):
        with storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


def _counts(alias):
    return {
        model._meta.label: model._base_manager.using(alias).count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _event_log(alias):
    fields = ["organisation_id", "sequence", "at", "actor_id", "action", "record_type"]
    fields += ["object_id", "object_repr", "details", "prev_hash", "hash"]
    entries = EventLogEntry.objects.using(alias).order_by("organisation_id", "sequence")
    heads = ChainHead.objects.using(alias).order_by("organisation_id")
    return list(entries.values_list(*fields)), list(
        heads.values_list("organisation_id", "sequence", "hash")
    )


def test_the_demo_round_trips_through_pg_dump_and_pg_restore(scratch_database, tmp_path):
    call_command("seed_demo", password="a-long-demo-password")
    for organisation in Organisation.objects.all():
        event_log_seal(organisation=organisation)  # the checkpoint file is backed up too
    counts, events, files = _counts("default"), _event_log("default"), _hashes(default_storage)
    regulated = [model._meta.label for model in regulated_models()]
    assert sum(counts[label] for label in regulated) > 100
    assert events[0] and events[1] and files

    archive = backup_create(directory=tmp_path / "backups")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "database.pgdump" in names and "database.json" not in names
    assert {f"media/{name}" for name in files} <= names

    restored_files = FileSystemStorage(location=tmp_path / "restored-media")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # naive-datetime noise from migrate
        summary = backup_restore(archive_path=archive, storage=restored_files, using=ALIAS)
    assert summary.files == len(files)

    assert _counts(ALIAS) == counts
    assert {label: counts[label] for label in regulated} == {
        label: _counts(ALIAS)[label] for label in regulated
    }
    assert _event_log(ALIAS) == events
    for organisation in Organisation.objects.using(ALIAS).all():
        result = event_log_verify(organisation=organisation, using=ALIAS)
        assert result.ok, (organisation.slug, result.reason)
    assert _hashes(restored_files) == files

    # A database that now holds data is refused, then replaced on request (no duplicate keys).
    with pytest.raises(ValidationError, match="already holds data"):
        backup_restore(archive_path=archive, storage=restored_files, using=ALIAS)
    backup_restore(archive_path=archive, storage=restored_files, using=ALIAS, replace=True)
    assert _counts(ALIAS) == counts
    assert _event_log(ALIAS) == events


def test_a_pg_dump_backup_is_not_restored_into_sqlite(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    archive = backup_create(directory=tmp_path)
    settings_dict = {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3"}
    connections["sqlite_target"] = _wrapper(
        {**settings_dict, "NAME": str(tmp_path / "target.sqlite3"), "OPTIONS": {}}, "sqlite_target"
    )
    try:
        with pytest.raises(ValidationError, match="PostgreSQL"):
            backup_restore(archive_path=archive, using="sqlite_target")
    finally:
        connections["sqlite_target"].close()
        del connections["sqlite_target"]
