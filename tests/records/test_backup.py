"""Backup and restore round-trip the database and the files: same records, same hashes."""

import hashlib
import tarfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from accounts.models import Organisation, User
from icp.models import Incident
from records.models import Document, EventLogEntry, RetainedRecord
from records.services.backup import backup_create, backup_restore, storage_files
from records.services.eventlog import event_log_verify
from tests.icp.factories_emergency import IncidentFactory
from tests.records.factories import attach

# The restore empties the database (flush), which PostgreSQL refuses inside the test
# transaction that a plain django_db test runs in.
pytestmark = pytest.mark.django_db(transaction=True)


def _files():
    return {
        name: hashlib.sha256(default_storage.open(name, "rb").read()).hexdigest()
        for name in storage_files()
    }


def _snapshot():
    return {
        "organisations": sorted(Organisation.objects.values_list("pk", "slug", "name_zh")),
        "users": sorted(User.objects.values_list("pk", "email", "password")),
        "incidents": sorted(Incident.objects.values_list("pk", "reference", "title")),
        "documents": sorted(Document.objects.values_list("pk", "file", "sha256", "object_id")),
        "events": sorted(EventLogEntry.objects.values_list("pk", "sequence", "hash")),
        "retention": sorted(RetainedRecord.objects.values_list("pk", "retained_until")),
        "histories": Incident.history.count(),
    }


def test_a_restored_copy_has_the_same_records_and_file_hashes(world, tmp_path):
    incident = IncidentFactory(
        organisation=world.organisation, title="最终用途变更 End use changed"
    )
    attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    attach(
        organisation=world.organisation,
        user=world.users["manager"],
        target=incident,
        name="合同.pdf",
        document_type="contract",
    )
    # Files other code keeps under its own prefix (an event-log head anchor, say) come back too.
    default_storage.save("event-log/anchors/acme.json", ContentFile(b'{"head": "abc"}'))
    before, files_before = _snapshot(), _files()
    assert len(files_before) == 3

    archive = backup_create(directory=tmp_path / "backups")
    assert archive.name.startswith("icp-backup-") and archive.suffixes[-2:] == [".tar", ".gz"]
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    # SQLite is dumped as JSON, PostgreSQL with pg_dump.
    assert "manifest.json" in names and names & {"database.json", "database.pgdump"}

    # Lose everything: the database and the stored files.
    call_command("flush", interactive=False, verbosity=0)
    for name in files_before:
        default_storage.delete(name)
    assert not Document.objects.exists() and not _files()

    summary = backup_restore(archive_path=archive)
    assert summary.files == 3
    assert _snapshot() == before
    assert _files() == files_before
    for document in Document.objects.all():
        with document.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
    assert event_log_verify(organisation=Organisation.objects.get(slug="acme")).ok


def test_restore_refuses_a_database_with_data_unless_told_to_replace(world, tmp_path):
    archive = backup_create(directory=tmp_path)
    with pytest.raises(ValidationError):
        backup_restore(archive_path=archive)
    backup_restore(archive_path=archive, replace=True)
    assert Organisation.objects.filter(slug="acme").exists()


def test_a_damaged_backup_is_refused_before_anything_is_touched(world, tmp_path):
    incident = IncidentFactory(organisation=world.organisation)
    attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    archive = backup_create(directory=tmp_path)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data + b"x"
                member.size = len(data)
            import io

            target.addfile(member, io.BytesIO(data))
    with pytest.raises(ValidationError, match="SHA-256"):
        backup_restore(archive_path=damaged, replace=True)
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_the_commands(world, tmp_path, capsys):
    call_command("backup", output_dir=str(tmp_path))
    path = capsys.readouterr().out.strip()
    call_command("restore", path, replace=True)
    assert "Restored" in capsys.readouterr().out


# --- every model of the demo, exactly ---------------------------------------------------------


def _all_rows():
    """Every row of every model in the dump (historical and many-to-many tables included).

    Content types and permissions are rebuilt by migrate with new ids: compared by natural key."""
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from records.services.backup import EXCLUDED_FROM_DUMP

    skipped_apps = {label for label in EXCLUDED_FROM_DUMP if "." not in label}
    skipped_models = {label for label in EXCLUDED_FROM_DUMP if "." in label}
    natural = {
        ContentType: {ct.pk: ct.natural_key() for ct in ContentType.objects.all()},
        Permission: {p.pk: p.natural_key() for p in Permission.objects.all()},
    }
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in skipped_apps or meta.label_lower in skipped_models:
            continue
        if meta.proxy or not meta.managed:
            continue
        mapped = {
            f.attname: natural[f.related_model]
            for f in meta.concrete_fields
            if f.is_relation and f.related_model in natural
        }
        rows[meta.label_lower] = [
            {key: mapped[key].get(value) if key in mapped else value for key, value in row.items()}
            for row in model._base_manager.order_by("pk").values()
        ]
    return rows


def test_the_demo_round_trips_exactly_without_events_written_at_restore(db, tmp_path):
    call_command("seed_demo", password="a-long-demo-password")
    before, files_before = _all_rows(), _files()
    regulated = ["icp.", "trade.", "screening.", "audits.", "records."]
    populated = [label for label, rows in before.items() if rows]
    assert any(label.startswith(prefix) for prefix in regulated for label in populated)
    assert before["records.eventlogentry"] and files_before

    archive = backup_create(directory=tmp_path / "backups")
    call_command("flush", interactive=False, verbosity=0)
    for name in files_before:
        default_storage.delete(name)

    backup_restore(archive_path=archive)
    after = _all_rows()
    for label in before:
        assert len(after[label]) == len(before[label]), label
        changed = [
            (old.get("id", index), key, old[key], new.get(key))
            for index, (old, new) in enumerate(zip(before[label], after[label], strict=True))
            for key in old
            if old[key] != new.get(key)
        ]
        assert not changed, (label, changed[:5])
    assert _files() == files_before
    for organisation in Organisation.objects.all():
        assert event_log_verify(organisation=organisation).ok
