"""Importing a whole control list or customs catalogue as a new version with its diff (all or
nothing), and previewing an import before it is made."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction as db_transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.permissions import require_role
from accounts.roles import PROGRAMME_EDITORS
from core.imports import ImportPreview, row_problems_raise
from records.services.eventlog import event_log_append
from trade.models import ControlListEntry, ControlListVersion, CustomsCatalogueEntry
from trade.models.control_list import ReferenceListKind

from .rows import _catalogue_rows, _control_list_rows
from .table import _content_sha256, read_table

# How often a background import reports its progress while writing entries. Steps are stored
# as English msgids (gettext_noop) and shown in the reader's language.
PROGRESS_EVERY_ROWS = 500

Progress = Callable[[int, str], None]


def _no_progress(percent: int, step: str) -> None:
    """The progress of an import run in the request: nobody is watching."""


@dataclass
class ControlListImportOutcome:
    created: int
    updated: int
    unchanged: int
    removed: int = 0
    version: ControlListVersion | None = None


def _require_editor(organisation, user) -> None:
    """An organisation's own list: its compliance managers. The shared list: a superuser (the
    installation's maintainer) or a command (no user)."""
    if organisation is None:
        if user is not None and not user.is_superuser:
            raise PermissionDenied("the shared list is maintained by the installation")
        return
    if user is None:
        return
    require_role(
        organisation=organisation,
        user=user,
        roles=PROGRAMME_EDITORS,
        message="compliance managers only",
    )


def _import(
    *,
    kind,
    model,
    key_field,
    rows,
    organisation,
    user,
    filename,
    content,
    edition,
    progress: Progress = _no_progress,
) -> ControlListImportOutcome:
    if not rows:
        raise ValidationError(_("The file has no entries."))
    content_hash = _content_sha256(rows)
    progress(20, gettext_noop("Writing the entries"))
    with db_transaction.atomic():
        versions = ControlListVersion.objects.select_for_update().filter(
            organisation=organisation, kind=kind
        )
        latest = versions.order_by("-number").first()
        existing = {
            getattr(e, key_field): e for e in model.objects.filter(organisation=organisation)
        }
        if latest is not None and latest.content_sha256 == content_hash:
            return ControlListImportOutcome(0, 0, len(rows), 0, latest)
        created = updated = unchanged = 0
        added: list[str] = []
        changed: list[str] = []
        for done, row in enumerate(rows, start=1):
            if done % PROGRESS_EVERY_ROWS == 0:
                progress(20 + 75 * done // len(rows), gettext_noop("Writing the entries"))
            key = row["key"]
            values = {k: v for k, v in row.items() if k != "key"} | {"is_active": True}
            entry = existing.get(key)
            if entry is None:
                model.objects.create(organisation=organisation, **{key_field: key}, **values)
                created += 1
                added.append(key)
            elif any(getattr(entry, k) != v for k, v in values.items()):
                was_active = entry.is_active
                for k, v in values.items():
                    setattr(entry, k, v)
                entry.save()
                updated += 1
                (changed if was_active else added).append(key)
            else:
                unchanged += 1
        keys = {row["key"] for row in rows}
        removed = sorted(k for k, e in existing.items() if e.is_active and k not in keys)
        model.objects.filter(organisation=organisation, **{f"{key_field}__in": removed}).update(
            is_active=False
        )
        number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ControlListVersion.objects.create(
            organisation=organisation,
            kind=kind,
            number=number,
            edition=edition[:60],
            source_filename=(filename or "")[:255],
            file_sha256=hashlib.sha256(content).hexdigest() if content else "",
            content_sha256=content_hash,
            entry_count=len(rows),
            diff={"added": sorted(added), "removed": removed, "changed": sorted(changed)},
            created_by=user,
        )
        if organisation is not None:
            event_log_append(
                organisation=organisation,
                action="list_imported",
                actor=user,
                record_type="trade.controllistversion",
                object_id=str(version.pk),
                object_repr=str(version),
                details={"file": version.source_filename, **version.change_counts},
            )
    return ControlListImportOutcome(created, updated, unchanged, len(removed), version)


def control_list_import(
    *,
    content: bytes,
    organisation=None,
    user=None,
    filename: str = "list.csv",
    edition="",
    progress: Progress = _no_progress,
) -> ControlListImportOutcome:
    """Import the whole control list from CSV or XLSX. All or nothing: any bad row rejects the
    file with every row's error. Codes the file no longer holds go out of force. Idempotent:
    the same content again creates no version. Without an organisation the entries are the
    shared reference list. `progress(percent, step)` follows a background import."""
    _require_editor(organisation, user)
    progress(5, gettext_noop("Reading the file"))
    header, data = read_table(content, filename)
    progress(10, gettext_noop("Checking every row"))
    rows, problems = _control_list_rows(header, data)
    row_problems_raise(problems)
    return _import(
        kind=ReferenceListKind.CONTROL_LIST,
        model=ControlListEntry,
        key_field="code",
        rows=rows,
        organisation=organisation,
        user=user,
        filename=filename,
        content=content,
        edition=edition,
        progress=progress,
    )


def customs_catalogue_import(
    *,
    content: bytes,
    edition: str,
    organisation=None,
    user=None,
    filename: str = "list.csv",
    progress: Progress = _no_progress,
) -> ControlListImportOutcome:
    """Import the customs catalogue (两用物项和技术进出口许可证管理目录) of one edition from CSV
    or XLSX; the same rules as the control list import."""
    _require_editor(organisation, user)
    edition = (edition or "").strip()
    if not edition:
        raise ValidationError({"edition": _("Say which edition the file is, e.g. 2026.")})
    progress(5, gettext_noop("Reading the file"))
    header, data = read_table(content, filename)
    progress(10, gettext_noop("Checking every row"))
    rows, problems = _catalogue_rows(header, data, edition)
    row_problems_raise(problems)
    return _import(
        kind=ReferenceListKind.CUSTOMS_CATALOGUE,
        model=CustomsCatalogueEntry,
        key_field="hs_code",
        rows=rows,
        organisation=organisation,
        user=user,
        filename=filename,
        content=content,
        edition=edition,
        progress=progress,
    )


def _preview(*, kind, model, key_field, rows, problems, rows_read, organisation) -> ImportPreview:
    """What `_import` would do with these rows, without writing: the same comparison with the
    entries in force (an unchanged file, by its content hash, changes nothing)."""
    preview = ImportPreview(rows_read=rows_read, problems=problems)
    if problems:
        return preview
    if not rows:
        raise ValidationError(_("The file has no entries."))

    def label(key, values) -> str:
        return f"{key} {values.get('description_zh') or values.get('description_en', '')}".strip()

    latest = (
        ControlListVersion.objects.filter(organisation=organisation, kind=kind)
        .order_by("-number")
        .first()
    )
    if latest is not None and latest.content_sha256 == _content_sha256(rows):
        for row in rows:
            preview.unchanged.add(label(row["key"], row))
        return preview
    existing = {getattr(e, key_field): e for e in model.objects.filter(organisation=organisation)}
    for row in rows:
        values = {k: v for k, v in row.items() if k != "key"} | {"is_active": True}
        entry = existing.get(row["key"])
        if entry is None:
            preview.new.add(label(row["key"], row))
        elif any(getattr(entry, k) != v for k, v in values.items()):
            preview.updated.add(label(row["key"], row))
        else:
            preview.unchanged.add(label(row["key"], row))
    keys = {row["key"] for row in rows}
    for key in sorted(existing):
        entry = existing[key]
        if entry.is_active and key not in keys:
            preview.removed.add(label(key, vars(entry)))
    return preview


def control_list_preview(
    *, content: bytes, organisation, user, filename: str = "list.csv"
) -> ImportPreview:
    """What importing this control list file would change, nothing written. A file that cannot
    be read at all (format, header, size) is a ValidationError; row problems are in the
    preview."""
    _require_editor(organisation, user)
    header, data = read_table(content, filename)
    rows, problems = _control_list_rows(header, data)
    return _preview(
        kind=ReferenceListKind.CONTROL_LIST,
        model=ControlListEntry,
        key_field="code",
        rows=rows,
        problems=problems,
        rows_read=len(data),
        organisation=organisation,
    )


def customs_catalogue_preview(
    *, content: bytes, edition: str, organisation, user, filename: str = "list.csv"
) -> ImportPreview:
    """What importing this customs catalogue file (one edition) would change, nothing
    written."""
    _require_editor(organisation, user)
    edition = (edition or "").strip()
    if not edition:
        raise ValidationError({"edition": _("Say which edition the file is, e.g. 2026.")})
    header, data = read_table(content, filename)
    rows, problems = _catalogue_rows(header, data, edition)
    return _preview(
        kind=ReferenceListKind.CUSTOMS_CATALOGUE,
        model=CustomsCatalogueEntry,
        key_field="hs_code",
        rows=rows,
        problems=problems,
        rows_read=len(data),
        organisation=organisation,
    )
