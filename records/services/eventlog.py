"""Append to, verify and read the hash-chained event log (one chain per organisation).

`event_log_append` is the only writer. It locks the organisation's chain head (SELECT ... FOR
UPDATE on PostgreSQL; on SQLite the whole database is write-locked from BEGIN IMMEDIATE, see
config/settings.py), so two appends never take the same sequence number or previous hash.
"""

import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    if target is not None:
        record_type = record_type or target._meta.label_lower
        object_id = object_id or str(target.pk or "")
        object_repr = object_repr or str(target)
    with transaction.atomic():
        head = _lock_head(organisation)
        now = timezone.now()
        entry = EventLogEntry(
            organisation=organisation,
            sequence=head.sequence + 1,
            # Milliseconds: what a JSON dump keeps, so a restored backup still verifies.
            at=now.replace(microsecond=now.microsecond // 1000 * 1000),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=(str(actor) if getattr(actor, "pk", None) else "")[:200],
            action=action,
            record_type=record_type[:100],
            object_id=str(object_id)[:64],
            object_repr=object_repr[:300],
            details=_normalised(details),
            prev_hash=head.hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        ChainHead.objects.filter(pk=head.pk).update(sequence=entry.sequence, hash=entry.hash)
    return entry


@dataclass(frozen=True)
class ChainVerification:
    organisation: object
    entries: int
    first_broken: int | None  # the sequence number of the first entry that fails
    reason: str

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def event_log_verify(*, organisation) -> ChainVerification:
    """Walk the organisation's chain from the start and name the first broken link, if any.

    An entry fails when its content no longer matches its hash (changed), when its previous
    hash is not the hash of the entry before (removed, inserted or re-hashed rows), or when its
    number skips one. The chain head catches entries removed from the end.
    """
    previous_hash = GENESIS_HASH
    expected = 1
    count = 0
    entries = EventLogEntry.objects.filter(organisation=organisation).order_by("sequence")
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
    head = ChainHead.objects.filter(organisation=organisation).first()
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


def event_log_for(*, organisation):
    return EventLogEntry.objects.filter(organisation=organisation).select_related("actor")
