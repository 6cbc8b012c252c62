"""Backup and restore round-trip the database and the files: same records, same hashes."""

import hashlib
import tarfile

import pytest
from django.core.exceptions import ValidationError
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
    before, files_before = _snapshot(), _files()
    assert len(files_before) == 2

    archive = backup_create(directory=tmp_path / "backups")
    assert archive.name.startswith("icp-backup-") and archive.suffixes[-2:] == [".tar", ".gz"]
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.json"} <= set(tar.getnames())

    # Lose everything: the database and the stored files.
    call_command("flush", interactive=False, verbosity=0)
    for name in files_before:
        default_storage.delete(name)
    assert not Document.objects.exists() and not _files()

    summary = backup_restore(archive_path=archive)
    assert summary.files == 2
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
