"""Backup and restore: the database in a portable form plus every stored file, in one archive.

    icp-backup-<UTC time>.tar.gz
      manifest.json     format, time, migrations applied, SHA-256 and size of every member
      database.json     every row, natural foreign keys, times to the microsecond (loads into
                        SQLite or PostgreSQL alike; base managers, so no row is filtered out)
      media/<path>      every file of the default storage (local disk or S3), byte for byte

Restoring checks every hash before it touches anything, migrates, loads the data (into an empty
database, or with `replace` after flushing it) and writes the files back to the storage. Rows are
loaded with every model signal muted: the history rows and event-log entries in the archive are
the record, and loading many-to-many fields must not write new "changes" at restore time. The
event log's chain and the documents' SHA-256 verify afterwards exactly as before.
"""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, router
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import signals as model_signals
from django.utils import timezone
from simple_history import signals as history_signals

FORMAT = "icp-backup/1"
# Rebuilt by migrate (content types, permissions) or worthless in a copy (sessions, task results).
EXCLUDED_FROM_DUMP = ["contenttypes", "auth.permission", "sessions"]


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def _dumped_models() -> list:
    skipped_apps = {label for label in EXCLUDED_FROM_DUMP if "." not in label}
    skipped_models = {label.lower() for label in EXCLUDED_FROM_DUMP if "." in label}
    app_list = dict.fromkeys(
        config
        for config in apps.get_app_configs()
        if config.models_module is not None and config.label not in skipped_apps
    )
    return [
        model
        for model in serializers.sort_dependencies(app_list.items(), allow_cycles=True)
        if model._meta.label_lower not in skipped_models
        and not model._meta.proxy
        and model._meta.managed
        and router.allow_migrate_model(connection.alias, model)
    ]


def database_dump() -> bytes:
    """Every row (base managers: nothing filtered), natural foreign keys, exact times."""
    objects = []
    for model in _dumped_models():
        objects += serializers.serialize(
            "python",
            model._base_manager.order_by(model._meta.pk.name).iterator(),
            use_natural_foreign_keys=True,
        )
    return json.dumps(objects, cls=_ExactEncoder, ensure_ascii=False, indent=1).encode("utf-8")


_MUTED_SIGNALS = [
    model_signals.pre_save,
    model_signals.post_save,
    model_signals.pre_delete,
    model_signals.post_delete,
    model_signals.m2m_changed,
    history_signals.pre_create_historical_record,
    history_signals.post_create_historical_record,
]


@contextmanager
def signals_muted():
    """No receiver runs: restored rows must not create history, log or index rows of their own."""
    saved = [(signal, signal.receivers) for signal in _MUTED_SIGNALS]
    try:
        for signal in _MUTED_SIGNALS:
            with signal.lock:
                signal.receivers = []
                signal.sender_receivers_cache.clear()
        yield
    finally:
        for signal, receivers in saved:
            with signal.lock:
                signal.receivers = receivers
                signal.sender_receivers_cache.clear()


def storage_files(storage=None, path: str = ""):
    """Every file name in the storage, recursively (works for local disk and S3)."""
    storage = storage or default_storage
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from storage_files(storage, f"{path}/{directory}" if path else directory)


def _add(archive: tarfile.TarFile, name: str, content: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = mtime
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def _migrations() -> dict:
    applied = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names)[-1] for app, names in sorted(applied.items())}


def backup_create(*, directory: Path, storage=None) -> Path:
    """Write a timestamped archive of the database and the files into `directory`."""
    storage = storage or default_storage
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    database = database_dump()
    members = [("database.json", database)]
    for name in storage_files(storage):
        with storage.open(name, "rb") as handle:
            members.append((f"media/{name}", handle.read()))
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database_vendor": connection.vendor,
        "migrations": _migrations(),
        "members": [
            {"path": path, "sha256": _sha256(content), "size": len(content)}
            for path, content in members
        ],
    }
    target = directory / f"icp-backup-{now:%Y%m%dT%H%M%S%fZ}.tar.gz"
    partial = target.with_suffix(".partial")
    mtime = now.timestamp()
    with tarfile.open(partial, "w:gz") as archive:
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"), mtime)
        for path, content in members:
            _add(archive, path, content, mtime)
    partial.rename(target)  # never leave a half-written archive under the final name
    return target


@dataclass(frozen=True)
class RestoreSummary:
    objects_file_sha256: str
    files: int
    created_at: datetime.datetime


def backup_read(archive_path: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and members of an archive, after checking every member's SHA-256."""
    with tarfile.open(archive_path, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise ValidationError(f"Not an ICP backup (format {manifest.get('format')!r}).")
        contents = {}
        for entry in manifest["members"]:
            path = entry["path"]
            if path.startswith("/") or ".." in Path(path).parts:
                raise ValidationError(f"Unsafe path in the backup: {path}")
            member = archive.extractfile(path)
            if member is None:
                raise ValidationError(f"Missing from the backup: {path}")
            content = member.read()
            if _sha256(content) != entry["sha256"]:
                raise ValidationError(f"Damaged backup: {path} does not match its SHA-256.")
            contents[path] = content
    return manifest, contents


def _database_is_empty() -> bool:
    from accounts.models import Organisation, User

    return not Organisation.objects.exists() and not User.objects.exists()


def backup_restore(*, archive_path: Path, replace: bool = False, storage=None) -> RestoreSummary:
    """Restore an archive into the configured database and storage.

    Refuses a damaged archive, and a database that already holds data unless `replace` is
    given (which empties it first). Files are written under their original names.
    """
    storage = storage or default_storage
    manifest, contents = backup_read(Path(archive_path))
    call_command("migrate", interactive=False, verbosity=0)
    if not _database_is_empty():
        if not replace:
            raise ValidationError(
                "The database already holds data; restore into an empty database, or pass "
                "--replace to overwrite it."
            )
        call_command("flush", interactive=False, verbosity=0)
    with tempfile.TemporaryDirectory() as scratch:
        fixture = Path(scratch) / "database.json"
        fixture.write_bytes(contents["database.json"])
        with signals_muted():
            call_command("loaddata", str(fixture), verbosity=0)
    files = 0
    for path, content in contents.items():
        if not path.startswith("media/"):
            continue
        name = path.removeprefix("media/")
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                if _sha256(handle.read()) == _sha256(content):
                    files += 1
                    continue
            storage.delete(name)
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            raise ValidationError(f"The storage renamed {name} to {saved}.")
        files += 1
    return RestoreSummary(
        objects_file_sha256=_sha256(contents["database.json"]),
        files=files,
        created_at=datetime.datetime.fromisoformat(manifest["created_at"]),
    )
