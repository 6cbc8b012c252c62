"""Backup and restore: the database in a portable form plus every stored file, in one archive.

    icp-backup-<UTC time>.tar.gz
      manifest.json     format, time, database format, migrations applied, SHA-256 and size
                        of every member
      database.pgdump   on PostgreSQL: the database as `pg_dump --format=custom` writes it
      database.json     on SQLite: every row, natural foreign keys, times to the microsecond
                        (base managers, so no row is filtered out)
      media/<path>      every file of the default storage (local disk or S3), byte for byte

Restoring checks every hash before it touches anything. A PostgreSQL dump is loaded by
`pg_restore` in one transaction (tables, rows, sequences and constraints exactly as they were),
then `migrate` applies any newer migrations. A JSON dump is loaded by `migrate` + `loaddata`
with every model signal muted: the history rows and event-log entries in the archive are the
record, and loading many-to-many fields must not write new "changes" at restore time. Either
way the database must be empty, or `replace` given, and the files are written back to the
storage. The event log's chain and the documents' SHA-256 verify afterwards exactly as before.
"""

import datetime
import hashlib
import io
import json
import os
import subprocess
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
from django.db import connection, connections, router
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import signals as model_signals
from django.utils import timezone
from simple_history import signals as history_signals

from accounts.models import Organisation, User

FORMAT = "icp-backup/1"
PG_DUMP_MEMBER = "database.pgdump"
JSON_MEMBER = "database.json"
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


def _migrations(alias: str = "default") -> dict:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names)[-1] for app, names in sorted(applied.items())}


def _pg_environment(alias: str) -> dict:
    """libpq's variables for the connection `alias` (no password on a command line)."""
    settings_dict = connections[alias].settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for variable, key in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert")):
        if options.get(key):
            environment[variable] = str(options[key])
    return environment


def _pg_run(arguments: list[str], *, alias: str, what: str) -> bytes:
    try:
        completed = subprocess.run(
            arguments, env=_pg_environment(alias), capture_output=True, check=False
        )
    except FileNotFoundError as error:
        raise ValidationError(
            f"{arguments[0]} is not installed: install the PostgreSQL client tools."
        ) from error
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise ValidationError(f"{what} failed: {detail}")
    return completed.stdout


def pg_dump(alias: str = "default") -> bytes:
    """The whole database in pg_dump's custom format (compressed, restorable table by table)."""
    return _pg_run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"],
        alias=alias,
        what="pg_dump",
    )


def _pg_restore(content: bytes, *, alias: str) -> None:
    """Load a custom-format dump in one transaction; existing objects it holds are replaced."""
    connections[alias].close()  # hold no lock the restore would wait for
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / PG_DUMP_MEMBER
        dump.write_bytes(content)
        _pg_run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                connections[alias].settings_dict["NAME"],
                str(dump),
            ],
            alias=alias,
            what="pg_restore",
        )


def backup_create(*, directory: Path, storage=None, using: str = "default") -> Path:
    """Write a timestamped archive of the database and the files into `directory`.

    PostgreSQL is dumped with its own tool (pg_dump, custom format); SQLite as portable JSON.
    """
    storage = storage or default_storage
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    vendor = connections[using].vendor
    if vendor == "postgresql":
        members = [(PG_DUMP_MEMBER, pg_dump(using))]
    else:
        members = [(JSON_MEMBER, database_dump())]
    for name in storage_files(storage):
        with storage.open(name, "rb") as handle:
            members.append((f"media/{name}", handle.read()))
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database_vendor": vendor,
        "database_format": "pg_dump-custom" if vendor == "postgresql" else "django-json",
        "migrations": _migrations(using),
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


def _member_bytes(archive: tarfile.TarFile, path: str) -> bytes:
    member = archive.extractfile(path)
    if member is None:
        raise ValidationError(f"Missing from the backup: {path}")
    return member.read()


def backup_read(archive_path: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and members of an archive, after checking every member's SHA-256."""
    with tarfile.open(archive_path, "r:gz") as archive:
        manifest = json.loads(_member_bytes(archive, "manifest.json"))
        if manifest.get("format") != FORMAT:
            raise ValidationError(f"Not an ICP backup (format {manifest.get('format')!r}).")
        contents = {}
        for entry in manifest["members"]:
            path = entry["path"]
            if path.startswith("/") or ".." in Path(path).parts:
                raise ValidationError(f"Unsafe path in the backup: {path}")
            content = _member_bytes(archive, path)
            if _sha256(content) != entry["sha256"]:
                raise ValidationError(f"Damaged backup: {path} does not match its SHA-256.")
            contents[path] = content
    return manifest, contents


def _database_is_empty(alias: str = "default") -> bool:
    tables = set(connections[alias].introspection.table_names())
    return all(
        model._meta.db_table not in tables or not model._base_manager.using(alias).exists()
        for model in (Organisation, User)
    )


_HOLDS_DATA = (
    "The database already holds data; restore into an empty database, or pass --replace to "
    "overwrite it."
)


def backup_restore(
    *, archive_path: Path, replace: bool = False, storage=None, using: str = "default"
) -> RestoreSummary:
    """Restore an archive into the configured database and storage.

    Refuses a damaged archive, and a database that already holds data unless `replace` is
    given (which empties it first). Files are written under their original names.
    """
    storage = storage or default_storage
    manifest, contents = backup_read(Path(archive_path))
    if PG_DUMP_MEMBER in contents:
        if connections[using].vendor != "postgresql":
            raise ValidationError(
                "This backup was made with pg_dump from PostgreSQL: restore it into a PostgreSQL "
                "database (DATABASE_URL)."
            )
        if not replace and not _database_is_empty(using):
            raise ValidationError(_HOLDS_DATA)
        _pg_restore(contents[PG_DUMP_MEMBER], alias=using)
        call_command("migrate", database=using, interactive=False, verbosity=0)
        database_member = PG_DUMP_MEMBER
    else:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        if not _database_is_empty(using):
            if not replace:
                raise ValidationError(_HOLDS_DATA)
            call_command("flush", database=using, interactive=False, verbosity=0)
        with tempfile.TemporaryDirectory() as scratch:
            fixture = Path(scratch) / JSON_MEMBER
            fixture.write_bytes(contents[JSON_MEMBER])
            with signals_muted():
                call_command("loaddata", str(fixture), database=using, verbosity=0)
        database_member = JSON_MEMBER
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
        objects_file_sha256=_sha256(contents[database_member]),
        files=files,
        created_at=datetime.datetime.fromisoformat(manifest["created_at"]),
    )
