"""Legal holds: an investigation, a MOFCOM inquiry or a customs challenge keeps what it covers.

A hold covers index rows (records or single documents); a record's documents are covered with
it, including documents attached after the hold was placed. Compliance managers place, extend
and release holds; every step is in the event log.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles as role_sets
from accounts.permissions import require_role
from records.models import LegalHold, RetainedRecord

from .eventlog import event_log_append


def _require_editor(membership) -> None:
    require_role(
        membership=membership,
        roles=role_sets.PROGRAMME_EDITORS,
        message=_("Only a compliance manager may place or release a legal hold."),
    )


def _items_of(membership, items) -> list[RetainedRecord]:
    items = list(items)
    if any(item.organisation_id != membership.organisation_id for item in items):
        raise ValidationError(_("This record belongs to another organisation."))
    if any(item.disposed_at is not None for item in items):
        raise ValidationError(_("A disposed record cannot be put on hold."))
    return items


def hold_place(
    *, membership, kind: str, reference: str, title: str, description: str = "", items=()
) -> LegalHold:
    """Place a hold on the given records; from now on none of them can be destroyed."""
    _require_editor(membership)
    if kind not in LegalHold.Kind.values:
        raise ValidationError(_("Unknown kind of legal hold."))
    if not reference.strip() or not title.strip():
        raise ValidationError(_("A legal hold needs a reference and a title."))
    items = _items_of(membership, items)
    with transaction.atomic():
        hold = LegalHold.objects.create(
            organisation=membership.organisation,
            kind=kind,
            reference=reference.strip(),
            title=title.strip(),
            description=description.strip(),
            placed_by=membership.user,
        )
        hold.items.add(*items)
        event_log_append(
            organisation=membership.organisation,
            actor=membership.user,
            action="hold",
            target=hold,
            details={"kind": kind, "reference": hold.reference, "items": [i.pk for i in items]},
        )
    return hold


def hold_add_items(*, membership, hold: LegalHold, items) -> LegalHold:
    _require_editor(membership)
    if hold.organisation_id != membership.organisation_id:
        raise PermissionDenied
    if not hold.is_active:
        raise ValidationError(_("This legal hold has been released."))
    items = _items_of(membership, items)
    with transaction.atomic():
        hold.items.add(*items)
        event_log_append(
            organisation=membership.organisation,
            actor=membership.user,
            action="hold_change",
            target=hold,
            details={"added": [item.pk for item in items]},
        )
    return hold


def hold_remove_item(*, membership, hold: LegalHold, item: RetainedRecord) -> LegalHold:
    _require_editor(membership)
    if hold.organisation_id != membership.organisation_id:
        raise PermissionDenied
    if not hold.is_active:
        raise ValidationError(_("This legal hold has been released."))
    with transaction.atomic():
        hold.items.remove(item)
        event_log_append(
            organisation=membership.organisation,
            actor=membership.user,
            action="hold_change",
            target=hold,
            details={"removed": [item.pk]},
        )
    return hold


def hold_release(*, membership, hold: LegalHold, note: str) -> LegalHold:
    """Release a hold (the inquiry is over); its records fall back to their retention."""
    _require_editor(membership)
    if hold.organisation_id != membership.organisation_id:
        raise PermissionDenied
    if not hold.is_active:
        raise ValidationError(_("This legal hold has already been released."))
    if not note.strip():
        raise ValidationError(_("Say why the hold is released."))
    with transaction.atomic():
        updated = LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
            released_at=timezone.now(), released_by=membership.user, release_note=note.strip()
        )
        if not updated:
            raise ValidationError(_("This legal hold has already been released."))
        hold.refresh_from_db()
        event_log_append(
            organisation=membership.organisation,
            actor=membership.user,
            action="release",
            target=hold,
            details={"note": hold.release_note},
        )
    return hold
