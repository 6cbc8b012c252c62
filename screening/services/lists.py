"""Writes to lists: imports (all or nothing, versioned, idempotent) and manual corrections."""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from accounts.roles import PROGRAMME_EDITORS
from core.imports import ImportPreview, RowProblem
from screening.adapters import PARSERS, EntityRecord, RowError
from screening.adapters.base import check_record, content_sha256
from screening.models import ListedEntity, ListVersion, ScreeningList
from screening.signals import list_version_current

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ImportRejected(ValidationError):
    """The file was refused as a whole; `row_errors` says which rows and why."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        super().__init__([str(error) for error in row_errors])


@dataclass
class ImportOutcome:
    version: ListVersion
    created: bool


def list_can_manage(*, user, membership, screening_list: ScreeningList) -> bool:
    """Public lists: superusers (the installation's list maintainer). Private lists: the owning
    organisation's compliance managers."""
    if screening_list.is_public:
        return bool(user and user.is_superuser)
    return (
        membership is not None
        and membership.organisation_id == screening_list.organisation_id
        and membership.role in PROGRAMME_EDITORS
    )


def entity_record(entity: ListedEntity) -> EntityRecord:
    return EntityRecord(
        entity_id=entity.entity_id,
        name=entity.name,
        entity_type=entity.entity_type,
        aliases=list(entity.aliases),
        countries=list(entity.countries),
        addresses=list(entity.addresses),
        identifiers=list(entity.identifiers),
        programme=entity.programme,
        listed_on=entity.listed_on,
        delisted_on=entity.delisted_on,
        remarks=entity.remarks,
        source_url=entity.source_url,
    )


def version_records(version: ListVersion | None) -> list[EntityRecord]:
    if version is None:
        return []
    return [entity_record(e) for e in version.entities.order_by("entity_id").iterator(2000)]


def _diff(previous: list[EntityRecord], current: list[EntityRecord]) -> dict:
    before = {r.entity_id: r.content_hash() for r in previous}
    after = {r.entity_id: r.content_hash() for r in current}
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(k for k in set(after) & set(before) if after[k] != before[k]),
    }


def _version_create(
    *,
    screening_list: ScreeningList,
    records: list[EntityRecord],
    source: str,
    user,
    filename: str = "",
    file_sha256: str = "",
    note: str = "",
    progress=None,
) -> ImportOutcome:
    progress = progress or (lambda percent, step="": None)
    content_hash = content_sha256(records)
    with transaction.atomic():
        locked = ScreeningList.objects.select_for_update().get(pk=screening_list.pk)
        current = locked.current_version
        if current is not None and current.content_sha256 == content_hash:
            return ImportOutcome(version=current, created=False)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ListVersion.objects.create(
            screening_list=locked,
            number=number,
            source=source,
            source_filename=filename[:255],
            file_sha256=file_sha256,
            content_sha256=content_hash,
            entity_count=len(records),
            diff=_diff(version_records(current), records),
            note=note[:500],
            created_by=user,
        )
        progress(30, _noop("Saving the entities"))
        ListedEntity.objects.bulk_create(
            [
                ListedEntity(
                    version=version,
                    entity_id=r.entity_id,
                    entity_type=r.entity_type,
                    name=r.name,
                    aliases=r.aliases,
                    countries=r.countries,
                    addresses=r.addresses,
                    identifiers=r.identifiers,
                    programme=r.programme[:300],
                    listed_on=r.listed_on,
                    delisted_on=r.delisted_on,
                    remarks=r.remarks,
                    source_url=r.source_url[:500],
                    content_hash=r.content_hash(),
                )
                for r in records
            ],
            batch_size=1000,
        )
        locked.current_version = version
        locked.save(update_fields=["current_version"])
        screening_list.current_version = version
        progress(70, _noop("Building the search index"))
        _index_for_new_version(version)
        transaction.on_commit(lambda: _rescreen_after_new_version(version.pk))
    logger.info("list=%s version=%s entities=%s", locked.code, number, len(records))
    return ImportOutcome(version=version, created=True)


def _index_for_new_version(version: ListVersion) -> None:
    """Build the new version's index file in the transaction that makes the version current,
    so it is active together with its index. A web request (a hand edit) never builds one:
    a job does, right after the commit."""
    from screening.services.index import artefact_build, in_web_request, index_enqueue_build

    if in_web_request():
        transaction.on_commit(lambda: index_enqueue_build(version))
    else:
        artefact_build(version)


def _rescreen_after_new_version(version_id: int) -> None:
    """Tell the apps above (trade re-screens its parties) that a version is current."""
    list_version_current.send(sender=ListVersion, version_id=version_id)


def list_import(
    *,
    screening_list: ScreeningList,
    content: bytes,
    file_format: str,
    user=None,
    filename: str = "",
    progress=None,
) -> ImportOutcome:
    """Import a whole file as the list's next version. All or nothing: any bad row rejects the
    file (ImportRejected with every row error). Idempotent: content equal to the current
    version creates nothing and returns that version."""
    _check_file(content=content, file_format=file_format)
    if progress:
        progress(5, _noop("Checking every row"))
    result = PARSERS[file_format](content, list_code=screening_list.code)
    if result.errors:
        raise ImportRejected(result.errors)
    return _version_create(
        screening_list=screening_list,
        records=result.records,
        source=file_format,
        user=user,
        filename=filename,
        file_sha256=hashlib.sha256(content).hexdigest(),
        progress=progress,
    )


def _check_file(*, content: bytes, file_format: str) -> None:
    if file_format not in PARSERS:
        raise ValidationError(_("Unknown format %(format)s.") % {"format": file_format})
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 50 MB."))


def list_import_preview(
    *, screening_list: ScreeningList, content: bytes, file_format: str
) -> ImportPreview:
    """What importing the file as the list's next version would change, nothing written: the
    entities new, changed, unchanged and no longer listed against the current version (by each
    entity's content hash), or every bad row."""
    _check_file(content=content, file_format=file_format)
    result = PARSERS[file_format](content, list_code=screening_list.code)
    bad_rows = {error.row for error in result.errors}
    preview = ImportPreview(
        rows_read=len(result.records) + len(bad_rows),
        problems=[RowProblem(error.row, error.column, error.message) for error in result.errors],
    )
    if result.errors:
        return preview
    current = screening_list.current_version
    if current is not None and current.content_sha256 == content_sha256(result.records):
        for record in result.records:
            preview.unchanged.add(f"{record.entity_id} {record.name}")
        return preview
    before = {
        entity_id: (content_hash, name)
        for entity_id, content_hash, name in (
            current.entities.order_by("entity_id").values_list("entity_id", "content_hash", "name")
            if current is not None
            else []
        )
    }
    for record in result.records:
        label = f"{record.entity_id} {record.name}"
        if record.entity_id not in before:
            preview.new.add(label)
        elif before[record.entity_id][0] != record.content_hash():
            preview.updated.add(label)
        else:
            preview.unchanged.add(label)
    listed = {record.entity_id for record in result.records}
    for entity_id, (_hash, name) in before.items():
        if entity_id not in listed:
            preview.removed.add(f"{entity_id} {name}")
    return preview


def list_entity_save(
    *, screening_list: ScreeningList, record: EntityRecord, user, note: str = ""
) -> ImportOutcome:
    """Add an entity, or correct the one with the same entity id, as a new list version (the
    earlier version stays as it was, so past screenings remain reproducible)."""
    errors = check_record(record, 1, {})
    if errors:
        raise ValidationError([error.message for error in errors])
    records = [
        r
        for r in version_records(screening_list.current_version)
        if r.entity_id != record.entity_id
    ]
    records.append(record)
    return _version_create(
        screening_list=screening_list,
        records=records,
        source=ListVersion.Source.MANUAL,
        user=user,
        note=note or _("Entity %(id)s entered by hand.") % {"id": record.entity_id},
    )


def list_entries_from_announcement(
    *,
    screening_list: ScreeningList,
    announcement: str,
    announced_on,
    names: list[str],
    country: str = "",
    source_url: str = "",
    user,
) -> ImportOutcome:
    """Add the parties an announcement names (e.g. a MOFCOM unreliable-entity or control-list
    announcement) as one new version of the list; every party is then re-screened. A name
    already on the list from the same announcement is not added twice."""
    announcement = announcement.strip()
    names = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if not announcement or not names:
        raise ValidationError(_("Give the announcement number and at least one name."))
    current = version_records(screening_list.current_version)
    known = {(r.programme, r.name) for r in current}
    prefix = "".join(ch for ch in announcement if ch.isalnum())[:60] or "ANN"
    taken = {r.entity_id for r in current}
    added: list[EntityRecord] = []
    for name in names:
        if (announcement, name) in known:
            continue
        number = len(added) + 1
        while f"{prefix}-{number:03d}" in taken:
            number += 1
        record = EntityRecord(
            entity_id=f"{prefix}-{number:03d}",
            name=name,
            countries=[country.upper()] if country else [],
            programme=announcement,
            listed_on=announced_on,
            source_url=source_url,
        )
        errors = check_record(record, len(added) + 1, {})
        if errors:
            raise ValidationError([error.message for error in errors])
        taken.add(record.entity_id)
        added.append(record)
    if not added:
        version = screening_list.current_version
        assert version is not None  # every name is on the current version already
        return ImportOutcome(version=version, created=False)
    return _version_create(
        screening_list=screening_list,
        records=[*current, *added],
        source=ListVersion.Source.MANUAL,
        user=user,
        # The announcement's own number: the same in every language.
        note=announcement,
    )


def list_create(
    *,
    organisation,
    code: str,
    name_zh: str,
    name_en: str = "",
    user=None,
    membership=None,
    **values,
) -> ScreeningList:
    """A new public (organisation None, superusers only) or private list."""
    if organisation is None and not (user and user.is_superuser):
        raise PermissionDenied
    clash = ScreeningList.objects.filter(code=code, organisation__isnull=True)
    if organisation is not None:
        clash = clash | ScreeningList.objects.filter(code=code, organisation=organisation)
    if clash.exists():
        raise ValidationError({"code": _("A list with this code already exists.")})
    from screening.services.legal import default_severity, list_severity_check

    category = values.setdefault("legal_category", ScreeningList.LegalCategory.PRC_LAW)
    values["severity"] = values.get("severity") or default_severity(category)
    list_severity_check(
        legal_category=category,
        severity=values["severity"],
        reason=values.get("severity_reason", ""),
    )
    return ScreeningList.objects.create(
        organisation=organisation, code=code, name_zh=name_zh, name_en=name_en, **values
    )
