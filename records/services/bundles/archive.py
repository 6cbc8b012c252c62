"""Building the archive (documents, index PDF, manifest, SHA256SUMS) and verifying it."""

import hashlib
import io
import json
import re
import tempfile
import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..eventlog import event_log_append
from .common import _SCOPES
from .scopes import _scope_facts

# Documents are copied into the archive, and the archive hashed, this many bytes at a time.
CHUNK_BYTES = 256 * 1024
# A bundle stays in memory up to this size, then the temporary file moves to disk (moving it
# copies it once more: the job's peak memory is about twice this, whatever the bundle's size).
SPOOL_BYTES = 1024 * 1024


def _safe(name: str, limit: int = 80) -> str:
    name = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", name).strip(" .")
    return (name or "file")[:limit]


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _copy_member(archive: zipfile.ZipFile, path: str, source) -> tuple[str, int]:
    """Copy an open binary file into the archive as `path`, chunk by chunk; its SHA-256 and
    size."""
    digest, size = hashlib.sha256(), 0
    with archive.open(path, "w", force_zip64=True) as member:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            member.write(chunk)
    return digest.hexdigest(), size


def bundle_build(
    *, organisation, user, scope: str, params: dict, language: str, progress=None
) -> tuple[str, IO[bytes], dict]:
    """Build the ZIP for `scope`; returns (file name, the archive as an open binary file at its
    start, summary) and logs an export event. The archive is written to a temporary file (in
    memory while small) and every document is copied into it in chunks, so a large bundle is
    never held in memory; the caller saves the file to the storage and closes it."""
    # WeasyPrint loads slowly: only a process that builds a bundle pays for it.
    from core.pdf import render_pdf

    if scope not in _SCOPES:
        raise ValidationError(_("Unknown kind of bundle."))
    progress = progress or (lambda percent, step="": None)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned open)
    try:
        with (
            translation.override(language),
            zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            progress(5, gettext_lazy("Collecting records"))
            records = _SCOPES[scope](organisation=organisation, params=params)
            files = []  # (path, sha256, size, document)
            seen_paths = set()
            total = sum(len(r.documents) for r in records) or 1
            done = 0
            for number, record in enumerate(records, start=1):
                folder = f"records/{number:03d}-{_safe(record.title, 60)}"
                for document in record.documents:
                    # The same file attached twice (same bytes, same name) is one member,
                    # listed once.
                    path = f"{folder}/{document.sha256[:8]}-{_safe(document.original_name)}"
                    if path in seen_paths:
                        done += 1
                        continue
                    seen_paths.add(path)
                    with document.file.open("rb") as handle:
                        digest, size = _copy_member(archive, path, handle)
                    if digest != document.sha256:
                        raise ValidationError(
                            _("The stored file of %(name)s no longer matches its SHA-256."),
                            params={"name": document.original_name},
                        )
                    files.append((path, digest, size, document))
                    done += 1
                    progress(5 + 60 * done // total, gettext_lazy("Copying documents"))
            generated_at = timezone.now()
            title = _("Inspection bundle")
            progress(70, gettext_lazy("Writing the index"))
            index_pdf = render_pdf(
                "pdf/records/bundle_index.html",
                {
                    "title": title,
                    "organisation": organisation,
                    "generated_at": generated_at,
                    "generated_by": user,
                    "scope": scope,
                    "scope_facts": _scope_facts(
                        organisation=organisation, scope=scope, params=params, records=records
                    ),
                    "params": params,
                    "records": records,
                    "files": [(path, document) for path, _d, _s, document in files],
                },
                language=language,
            )
            archive.writestr("index.pdf", index_pdf)
            entries = [("index.pdf", _sha256(index_pdf), len(index_pdf), None), *files]
            manifest = {
                "format": "icp-inspection-bundle/1",
                "organisation": {
                    "name_zh": organisation.name_zh,
                    "name_en": organisation.name_en,
                    "unified_social_credit_code": organisation.unified_social_credit_code,
                },
                "scope": scope,
                "params": params,
                "generated_at": generated_at.isoformat(),
                "generated_by": str(user) if user else "",
                "records": [record.title for record in records],
                "files": [
                    {
                        "path": path,
                        "sha256": digest,
                        "size": size,
                        **(
                            {
                                "document_id": document.pk,
                                "original_name": document.original_name,
                                "document_type": document.document_type,
                                "uploaded_at": document.uploaded_at.isoformat(),
                            }
                            if document is not None
                            else {}
                        ),
                    }
                    for path, digest, size, document in entries
                ],
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            sums = "".join(
                f"{digest}  {path}\n"
                for path, digest in [
                    *((p, d) for p, d, _s, _doc in entries),
                    ("manifest.json", _sha256(manifest_bytes)),
                ]
            ).encode("utf-8")
            archive.writestr("manifest.json", manifest_bytes)
            archive.writestr("SHA256SUMS", sums)
        spool.seek(0)
        bundle_digest = hashlib.sha256()
        while chunk := spool.read(CHUNK_BYTES):
            bundle_digest.update(chunk)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    sha256 = bundle_digest.hexdigest()
    progress(95, gettext_lazy("Recording the export"))
    event_log_append(
        organisation=organisation,
        actor=user,
        action="export",
        record_type="records.bundle",
        object_repr=f"{scope} {json.dumps(params, sort_keys=True)}"[:300],
        details={
            "scope": scope,
            "params": params,
            "files": len(entries),
            "sha256": sha256,
            "manifest_sha256": _sha256(manifest_bytes),
        },
    )
    name = f"inspection-bundle-{scope}-{generated_at:%Y%m%d-%H%M%S}.zip"
    summary = {"records": len(records), "files": len(entries), "sha256": sha256}
    return name, spool, summary


def bundle_verify(content: bytes | IO[bytes]) -> list[str]:
    """Check a bundle (its bytes or an open binary file) on its own: every file listed with the
    right hash, nothing unlisted. Returns the problems found (empty when the bundle is
    intact)."""
    problems = []
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
        for path, entry in listed.items():
            if path not in names:
                problems.append(f"missing: {path}")
                continue
            data = archive.read(path)
            if _sha256(data) != entry["sha256"] or len(data) != entry["size"]:
                problems.append(f"hash mismatch: {path}")
        sums = {}
        for line in archive.read("SHA256SUMS").decode("utf-8").splitlines():
            digest, path = line.split("  ", 1)
            sums[path] = digest
        for path, digest in sums.items():
            if path not in names or _sha256(archive.read(path)) != digest:
                problems.append(f"SHA256SUMS mismatch: {path}")
        for path in names - set(listed) - {"manifest.json", "SHA256SUMS"}:
            problems.append(f"not in the manifest: {path}")
    return problems
