"""Append to, verify and read the hash-chained event log (one chain per organisation).

`event_log_append` is the only writer. It locks the organisation's chain head (SELECT ... FOR
UPDATE on PostgreSQL; on SQLite the whole database is write-locked from BEGIN IMMEDIATE, see
config/settings.py), so two appends never take the same sequence number or previous hash.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from records.models import ChainHead, EventLogEntry
from records.models.events import GENESIS_HASH, canonical_json

# Status values that mean a record was approved: a change to one of them is logged as approval.
APPROVED_STATUSES = {"approved", "published"}


def _lock_head(organisation) -> ChainHead:
    try:
        return ChainHead.objects.select_for_update().get(organisation=organisation)
    except ChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                ChainHead.objects.create(organisation=organisation)
        except IntegrityError:
            pass  # another append created it first: take it below
        return ChainHead.objects.select_for_update().get(organisation=organisation)


def _normalised(details: dict | None) -> dict:
    """Details exactly as they read back from the database, so the hash survives the trip."""
    return json.loads(canonical_json(details or {}))


def _entry(
    *,
    organisation,
    head_sequence: int,
    prev_hash: str,
    at,
    action: str,
    actor=None,
    target=None,
    record_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    details: dict | None = None,
) -> EventLogEntry:
    """The next entry after (`head_sequence`, `prev_hash`), hashed, not saved."""
    if target is not None:
        record_type = record_type or target._meta.label_lower
        object_id = object_id or str(target.pk or "")
        object_repr = object_repr or str(target)
    entry = EventLogEntry(
        organisation=organisation,
        sequence=head_sequence + 1,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(str(actor) if getattr(actor, "pk", None) else "")[:200],
        action=action,
        record_type=record_type[:100],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:300],
        details=_normalised(details),
        prev_hash=prev_hash,
    )
    entry.hash = entry.compute_hash()
    return entry


def _now_ms():
    now = timezone.now()
    # Milliseconds: what a JSON dump keeps, so a restored backup still verifies.
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def event_log_append(
    *,
    organisation,
    action: str,
    actor=None,
    target=None,
    record_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    details: dict | None = None,
) -> EventLogEntry:
    """Append one event to the organisation's chain and return it (atomic, concurrency-safe)."""
    with transaction.atomic():
        head = _lock_head(organisation)
        entry = _entry(
            organisation=organisation,
            head_sequence=head.sequence,
            prev_hash=head.hash,
            at=_now_ms(),
            action=action,
            actor=actor,
            target=target,
            record_type=record_type,
            object_id=object_id,
            object_repr=object_repr,
            details=details,
        )
        entry.save()
        ChainHead.objects.filter(pk=head.pk).update(sequence=entry.sequence, hash=entry.hash)
    return entry


def event_log_append_many(*, organisation, events: list[dict]) -> list[EventLogEntry]:
    """Append several events (each the keyword arguments of `event_log_append` but the
    organisation) in order, with one lock of the head and one batched insert: a bulk write of
    a thousand records costs a fixed number of queries, not a thousand appends."""
    if not events:
        return []
    with transaction.atomic():
        head = _lock_head(organisation)
        at = _now_ms()
        sequence, previous = head.sequence, head.hash
        entries = []
        for event in events:
            entry = _entry(
                organisation=organisation,
                head_sequence=sequence,
                prev_hash=previous,
                at=at,
                **event,
            )
            entries.append(entry)
            sequence, previous = entry.sequence, entry.hash
        EventLogEntry.objects.bulk_create(entries, batch_size=500)
        ChainHead.objects.filter(pk=head.pk).update(sequence=sequence, hash=previous)
    return entries


@dataclass(frozen=True)
class ChainVerification:
    organisation: object
    entries: int
    first_broken: int | None  # the sequence number of the first entry that fails
    reason: str

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def event_log_verify(*, organisation, using: str = "default") -> ChainVerification:
    """Walk the organisation's chain from the start and name the first broken link, if any.

    An entry fails when its content no longer matches its hash (changed), when its previous
    hash is not the hash of the entry before (removed, inserted or re-hashed rows), or when its
    number skips one. The chain head catches entries removed from the end.
    """
    previous_hash = GENESIS_HASH
    expected = 1
    count = 0
    entries = (
        EventLogEntry.objects.using(using).filter(organisation=organisation).order_by("sequence")
    )
    for entry in entries.iterator(chunk_size=2000):
        count += 1
        if entry.sequence != expected:
            return ChainVerification(
                organisation,
                count,
                expected,
                _("Entry %(number)d is missing.") % {"number": expected},
            )
        if entry.compute_hash() != entry.hash:
            return ChainVerification(
                organisation,
                count,
                entry.sequence,
                _(
                    "Entry %(number)d was changed after it was written: its content no longer "
                    "matches its hash."
                )
                % {"number": entry.sequence},
            )
        if entry.prev_hash != previous_hash:
            return ChainVerification(
                organisation,
                count,
                entry.sequence,
                _("Entry %(number)d does not link to the entry before it.")
                % {"number": entry.sequence},
            )
        previous_hash = entry.hash
        expected += 1
    broken = _checkpoint_check(organisation=organisation, count=count, using=using)
    if broken is not None:
        return broken
    head = ChainHead.objects.using(using).filter(organisation=organisation).first()
    last = expected - 1
    if head is not None and (head.sequence != last or head.hash != previous_hash):
        return ChainVerification(
            organisation,
            count,
            last + 1,
            _(
                "The log ends at entry %(last)d, but %(head)d entries were written: entries were "
                "removed from the end."
            )
            % {"last": last, "head": head.sequence},
        )
    return ChainVerification(organisation, count, None, "")


# --- The seal: the chain's head anchored outside the database -------------------------------
#
# Someone who can write to the database alone could rewrite an entry and re-hash every later one,
# or cut the tail and rewind the head; the chain would still verify. A checkpoint, the head's
# sequence and hash signed with a key the database does not hold (EVENT_LOG_KEY, by default
# derived from SECRET_KEY), is written to file storage by `seal_event_log`; verification refuses
# a chain that does not contain the sealed entry, or a checkpoint whose signature is wrong.


def _seal_key() -> bytes:
    key = getattr(settings, "EVENT_LOG_KEY", "") or ""
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"icp-event-log-seal", hashlib.sha256).digest()


def _checkpoint_path(organisation) -> str:
    return f"event-log/checkpoints/{organisation.pk}.json"


def _checkpoint_mac(content: dict) -> str:
    return hmac.new(_seal_key(), canonical_json(content), hashlib.sha256).hexdigest()


def event_log_seal(*, organisation) -> dict:
    """Write the signed checkpoint of the organisation's chain head to storage (idempotent)."""
    head = ChainHead.objects.filter(organisation=organisation).first()
    content = {
        "organisation": organisation.pk,
        "sequence": head.sequence if head else 0,
        "hash": head.hash if head else GENESIS_HASH,
    }
    checkpoint = {
        **content,
        "sealed_at": timezone.now().isoformat(),
        "mac": _checkpoint_mac(content),
    }
    path = _checkpoint_path(organisation)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(canonical_json(checkpoint)))
    return checkpoint


@dataclass(frozen=True)
class SealRun:
    sealed: list  # (organisation, sequence) of each chain sealed
    refused: list  # (organisation, reason) of each broken chain, left unsealed


def event_log_seal_all(*, organisations=None) -> SealRun:
    """Verify, then seal, each organisation's chain; a broken chain is never sealed.

    The command `seal_event_log` and the periodic beat task share it. Idempotent: sealing an
    unchanged chain again writes the same sequence and hash. Changes captured at the database
    and not logged by the application are logged first (records/services/capture.py), so the
    seal covers them.
    """
    # In the function: services/capture.py builds on this module's event_log_append_many.
    from records.services.capture import database_changes_reconcile

    database_changes_reconcile()
    if organisations is None:
        organisations = Organisation.objects.order_by("slug")
    sealed, refused = [], []
    for organisation in organisations:
        result = event_log_verify(organisation=organisation)
        if not result.ok:
            refused.append((organisation, result.reason))
            continue
        checkpoint = event_log_seal(organisation=organisation)
        sealed.append((organisation, checkpoint["sequence"]))
    return SealRun(sealed=sealed, refused=refused)


def _checkpoint_read(organisation) -> dict | None:
    path = _checkpoint_path(organisation)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return json.loads(handle.read())


def _checkpoint_check(*, organisation, count: int, using: str) -> ChainVerification | None:
    """Compare the chain with its sealed checkpoint, if there is one."""
    try:
        checkpoint = _checkpoint_read(organisation)
    except (OSError, ValueError):
        checkpoint = {}
    if checkpoint is None:
        return None
    content = {key: checkpoint.get(key) for key in ("organisation", "sequence", "hash")}
    if content["organisation"] != organisation.pk or not hmac.compare_digest(
        str(checkpoint.get("mac", "")), _checkpoint_mac(content)
    ):
        return ChainVerification(
            organisation,
            count,
            0,
            _("The sealed checkpoint of the log is damaged or was not signed with this key."),
        )
    sequence = content["sequence"] or 0
    if sequence == 0:
        return None
    sealed = (
        EventLogEntry.objects.using(using)
        .filter(organisation=organisation, sequence=sequence)
        .first()
    )
    if sealed is None:
        return ChainVerification(
            organisation,
            count,
            min(count + 1, sequence),
            _(
                "The log was sealed at entry %(sealed)d, but it now ends at entry %(last)d: "
                "entries were removed from the end."
            )
            % {"sealed": sequence, "last": count},
        )
    if sealed.hash != content["hash"]:
        return ChainVerification(
            organisation,
            count,
            sequence,
            _(
                "Entry %(number)d differs from the sealed copy: the log was rewritten up to "
                "that entry and its hashes computed again."
            )
            % {"number": sequence},
        )
    return None


def event_log_for(*, organisation):
    return EventLogEntry.objects.filter(organisation=organisation).select_related("actor")
