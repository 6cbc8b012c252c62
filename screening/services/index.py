"""The engine index of each list version: built once, stored as a file, mapped by every process.

* ``artefact_build(version)`` builds the index of a version's entities (all of them, delisted
  ones included: delisting dates are applied when searching), writes it as one file of flat
  arrays with stable hashes, and stores it through the default file storage (local disk or
  S3-compatible) as ``screening-index/<sha256>.midx``. The list-import job and
  ``manage.py screening_index_build`` call it; a web request never does.
* ``version_index(version)`` returns the mapped index of a version. Each process keeps a local
  copy of the file (downloaded once from the storage, then renamed into place, so a copy is
  either whole or absent) and maps it read-only: processes on one machine share its pages.
  A version switches to its index in one step, when the whole file is mapped.
* A web request that finds no file for a current version raises ``ScreeningNotReady`` (the
  user is told that screening is being prepared) and a job builds the file; jobs, commands
  and the shell build it themselves.
* ``artefacts_prune()`` drops the files no current version uses.
"""

import contextlib
import contextvars
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jobs import job_enqueue
from core.models import Job
from screening.engine import Alias, ListEntity, MatchIndex
from screening.engine.index import FORMAT_VERSION
from screening.models import ListedEntity, ListIndexArtefact, ListVersion, ScreeningList
from screening.models.lists import ENGINE_ENTITY_TYPES, EntityType

logger = logging.getLogger(__name__)

ARTEFACT_DIR = "screening-index"
MAX_MAPPED = 32
# A file younger than this may belong to a build whose database row is not committed yet.
PRUNE_GRACE = timedelta(hours=1)

_lock = threading.Lock()
_mapped: OrderedDict[str, MatchIndex] = OrderedDict()
_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "screening_in_request", default=False
)


class ScreeningNotReady(ValidationError):
    """A current list version has no index file yet; a job is building it."""

    def __init__(self):
        message = _(
            "Screening is being prepared: a list was just updated and its search index is "
            "being built. Try again in a minute."
        )
        super().__init__({NON_FIELD_ERRORS: ValidationError(message, code="not_ready")})


def request_started(**kwargs) -> None:
    _in_request.set(True)


def request_finished(**kwargs) -> None:
    _in_request.set(False)


def in_web_request() -> bool:
    return _in_request.get()


@contextlib.contextmanager
def index_build_allowed():
    """Let a job that runs inside a request (eager Celery in development) build indexes."""
    token = _in_request.set(False)
    try:
        yield
    finally:
        _in_request.reset(token)


def cache_dir() -> Path:
    path = Path(
        getattr(settings, "SCREENING_INDEX_CACHE_DIR", None)
        or Path(settings.VAR_DIR) / "screening-index"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def current_versions(organisation) -> list[ListVersion]:
    """The current version of every active list the organisation sees (public + its own)."""
    lists = (
        ScreeningList.objects.visible_to(organisation)
        .filter(is_active=True, current_version__isnull=False)
        .select_related("current_version__screening_list", "current_version__index_artefact")
        .order_by("code")
    )
    return [screening_list.current_version for screening_list in lists]


def _engine_entity(entity: ListedEntity) -> ListEntity:
    names = [Alias(entity.name)]
    names += [Alias(a["text"], weak=bool(a.get("weak"))) for a in entity.aliases if a.get("text")]
    return ListEntity(
        key=str(entity.pk),
        names=tuple(names),
        entity_type=ENGINE_ENTITY_TYPES.get(EntityType(entity.entity_type)),
        countries=tuple(entity.countries),
        delisted_on=entity.delisted_on,
    )


def _artefact_of(version: ListVersion) -> ListIndexArtefact | None:
    """The version's index file, or None when it has none in this engine's file format (a file
    of an older format is rebuilt, like a missing one)."""
    try:
        artefact = version.index_artefact
    except ListIndexArtefact.DoesNotExist:
        return None
    return artefact if artefact.format_version == FORMAT_VERSION else None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def artefact_build(version: ListVersion) -> ListIndexArtefact:
    """Build and store the index file of a version, once (an existing file is kept)."""
    existing = ListIndexArtefact.objects.filter(version=version).first()
    if existing is not None and existing.format_version == FORMAT_VERSION:
        return existing
    if existing is not None:  # written by an older engine: rebuilt (its file is pruned later)
        existing.delete()
        version.__dict__.pop("index_artefact", None)
        version._state.fields_cache.pop("index_artefact", None)
    started = time.perf_counter()
    entities = (
        ListedEntity.objects.filter(version=version)
        .only("pk", "name", "aliases", "entity_type", "countries", "delisted_on")
        .order_by("pk")
        .iterator(chunk_size=5000)
    )
    index = MatchIndex.build(_engine_entity(e) for e in entities)
    directory = cache_dir()
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".part", delete=False) as handle:
        index.write(handle)
        temporary = Path(handle.name)
    try:
        sha256 = _sha256_file(temporary)
        name = f"{ARTEFACT_DIR}/{sha256}.midx"
        if not default_storage.exists(name):
            with open(temporary, "rb") as handle:
                stored = default_storage.save(name, File(handle))
            if stored != name:  # pragma: no cover - a storage that renames on clash
                raise RuntimeError(f"storage saved {name} as {stored}")
        size = temporary.stat().st_size
        os.replace(temporary, directory / Path(name).name)
    finally:
        temporary.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            artefact = ListIndexArtefact.objects.create(
                version=version,
                name=name,
                sha256=sha256,
                size=size,
                format_version=FORMAT_VERSION,
                entity_count=len(index),
                alias_count=len(index._alias_code),
                build_seconds=round(seconds, 3),
            )
    except IntegrityError:  # another process built it meanwhile (the same bytes)
        artefact = ListIndexArtefact.objects.get(version=version)
    logger.info("screening index version=%s file=%s %.1fs", version.pk, name, seconds)
    return artefact


def artefacts_build_missing() -> list[ListIndexArtefact]:
    """Build the index file of every current version that has none in this engine's format
    (fresh deployments, and after an engine upgrade changed the file format)."""
    versions = (
        ListVersion.objects.filter(
            pk__in=ScreeningList.objects.filter(current_version__isnull=False).values(
                "current_version"
            )
        )
        .filter(Q(index_artefact__isnull=True) | ~Q(index_artefact__format_version=FORMAT_VERSION))
        .order_by("pk")
    )
    return [artefact_build(version) for version in versions]


def _local_copy(artefact: ListIndexArtefact) -> Path:
    """This machine's copy of the artefact, fetched from the storage when absent."""
    directory = cache_dir()
    path = directory / Path(artefact.name).name
    if path.exists() and path.stat().st_size == artefact.size:
        return path
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".part", delete=False) as handle:
        temporary = Path(handle.name)
        try:
            with default_storage.open(artefact.name, "rb") as source:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    digest.update(chunk)
                    handle.write(chunk)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    if digest.hexdigest() != artefact.sha256:
        temporary.unlink(missing_ok=True)
        raise ValueError(f"{artefact.name}: the stored file does not match its checksum")
    os.replace(temporary, path)
    return path


def artefact_index(artefact: ListIndexArtefact) -> MatchIndex:
    """The mapped index of an artefact, loaded once per process."""
    with _lock:
        index = _mapped.get(artefact.name)
        if index is not None:
            _mapped.move_to_end(artefact.name)
            return index
    index = MatchIndex.load(_local_copy(artefact))
    with _lock:
        index = _mapped.setdefault(artefact.name, index)
        _mapped.move_to_end(artefact.name)
        while len(_mapped) > MAX_MAPPED:
            _mapped.popitem(last=False)
    return index


def index_enqueue_build(version: ListVersion):
    """Start the job that builds a version's index file, unless one is already waiting."""
    from screening.jobs import BUILD_INDEX_KIND

    pending = Job.objects.filter(
        kind=BUILD_INDEX_KIND,
        params__version_id=version.pk,
        status__in=[Job.Status.PENDING, Job.Status.RUNNING, Job.Status.STALLED],
    ).first()
    if pending is not None:
        return pending
    return job_enqueue(kind=BUILD_INDEX_KIND, params={"version_id": version.pk})


def version_index(version: ListVersion) -> MatchIndex:
    """The index of a version (all its entities; pass ``on=`` to ``search`` for delistings).
    Inside a web request a missing index file raises ``ScreeningNotReady`` and starts its
    build; elsewhere the file is built here."""
    return version_index_and_hash(version)[0]


def version_index_and_hash(version: ListVersion) -> tuple[MatchIndex, str]:
    """``version_index`` and the SHA-256 of the index file, which names what it holds."""
    artefact = _artefact_of(version)
    if artefact is None:
        if _in_request.get():
            transaction.on_commit(lambda: index_enqueue_build(version))
            raise ScreeningNotReady()
        artefact = artefact_build(version)
    return artefact_index(artefact), artefact.sha256


def artefacts_prune() -> dict:
    """Drop index files no current version uses: their rows, the stored files (older than a
    grace period, so a build not yet committed keeps its file) and this machine's copies."""
    current = ScreeningList.objects.filter(current_version__isnull=False).values("current_version")
    rows, _ = ListIndexArtefact.objects.exclude(version__in=current).delete()
    used = set(ListIndexArtefact.objects.values_list("name", flat=True))
    removed_files = 0
    cutoff = timezone.now() - PRUNE_GRACE
    try:
        _, files = default_storage.listdir(ARTEFACT_DIR)
    except FileNotFoundError:
        files = []
    for filename in files:
        name = f"{ARTEFACT_DIR}/{filename}"
        if name in used or not filename.endswith(".midx"):
            continue
        if default_storage.get_modified_time(name) > cutoff:
            continue
        default_storage.delete(name)
        removed_files += 1
    used_local = {Path(name).name for name in used}
    removed_local = 0
    for path in cache_dir().glob("*.midx"):
        if path.name not in used_local:
            path.unlink(missing_ok=True)  # processes that mapped it keep their mapping
            removed_local += 1
    with _lock:
        for name in [n for n in _mapped if n not in used]:
            del _mapped[name]
    return {"rows": rows, "files": removed_files, "local_copies": removed_local}


def index_cache_clear() -> None:
    """Forget the mapped indexes of this process (tests)."""
    with _lock:
        _mapped.clear()
