"""The disposal schedule and destruction after approval.

Who decides: a compliance manager proposes a disposal from the schedule (what may be destroyed:
retention ended, no legal hold, no document of it still kept); a member of management approves
it. Management, not compliance, signs because destroying a record the authorities may ask for is
a decision the principal person in charge answers for (Export Control Law Art. 28), and two
different people must agree (the proposer can never approve). On approval, every item is checked
again (a hold may have been placed since), destroyed, and recorded in a `DisposalRecord` with
its SHA-256; the stored bytes are removed once the database transaction has committed.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles as role_sets
from accounts.permissions import require_role
from records.models import DisposalRecord, DisposalRequest, Document, LegalHold, RetainedRecord
from records.models.retention import kept_reason_text

from .eventlog import event_log_append
from .retention import (
    disposal_permit,
    held_expression,
    is_on_hold,
    record_key,
    retention_index_document,
    retention_index_record,
)


def disposal_schedule(*, organisation, today: datetime.date | None = None):
    """Index rows that may be destroyed now: retention ended, not held, not already proposed,
    and (for a record) none of its documents still kept."""
    today = today or timezone.localdate()
    pending = DisposalRequest.items.through.objects.filter(
        disposalrequest__status=DisposalRequest.Status.PROPOSED,
        retainedrecord_id=OuterRef("pk"),
    )
    active_holds = LegalHold.items.through.objects.filter(legalhold__released_at__isnull=True)
    kept_documents = RetainedRecord.objects.filter(
        parent_id=OuterRef("pk"), disposed_at__isnull=True
    ).filter(
        Q(retained_until__isnull=True)
        | Q(retained_until__gt=today)
        | Exists(active_holds.filter(retainedrecord_id=OuterRef("pk")))
    )
    return (
        RetainedRecord.objects.for_organisation(organisation)
        .filter(disposed_at__isnull=True, retained_until__lte=today)
        .exclude(held_expression())
        .exclude(Exists(pending))
        .exclude(Exists(kept_documents))
        .order_by("retained_until", "pk")
    )


def _next_reference(organisation) -> str:
    year = timezone.localdate().year
    prefix = f"DSP-{year}-"
    count = DisposalRequest.objects.filter(
        organisation=organisation, reference__startswith=prefix
    ).count()
    return f"{prefix}{count + 1:03d}"


def disposal_propose(*, membership, items, reason: str = "") -> DisposalRequest:
    """A compliance manager proposes destroying items of the schedule (with their documents)."""
    require_role(
        membership=membership,
        roles=role_sets.PROGRAMME_EDITORS,
        message=_("Only a compliance manager may propose a disposal."),
    )
    organisation = membership.organisation
    wanted = {item.pk for item in items}
    if not wanted:
        raise ValidationError(_("Choose at least one record to dispose of."))
    eligible = set(
        disposal_schedule(organisation=organisation)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - eligible:
        raise ValidationError(
            _(
                "%(count)d of the chosen records may not be destroyed (still retained, on hold or "
                "already proposed)."
            )
            % {"count": len(wanted - eligible)}
        )
    # A record's documents go with it.
    documents = set(
        RetainedRecord.objects.filter(parent_id__in=eligible, disposed_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        request = DisposalRequest.objects.create(
            organisation=organisation,
            reference=_next_reference(organisation),
            reason=reason.strip(),
            proposed_by=membership.user,
        )
        request.items.add(*(eligible | documents))
        event_log_append(
            organisation=organisation,
            actor=membership.user,
            action="disposal_proposed",
            target=request,
            details={"items": sorted(eligible | documents), "reason": request.reason},
        )
    return request


def _require_decider(membership, request: DisposalRequest) -> None:
    require_role(
        membership=membership,
        roles=role_sets.APPROVERS,
        message=_("Only management may approve or reject a disposal."),
    )
    if request.organisation_id != membership.organisation_id:
        raise PermissionDenied
    if request.proposed_by_id == membership.user_id:
        raise PermissionDenied(_("The person who proposed a disposal cannot decide it."))
    if request.status != DisposalRequest.Status.PROPOSED:
        raise ValidationError(_("This disposal request has already been decided."))


def disposal_reject(*, membership, request: DisposalRequest, note: str) -> DisposalRequest:
    _require_decider(membership, request)
    if not note.strip():
        raise ValidationError(_("Say why the disposal is rejected."))
    with transaction.atomic():
        claimed = DisposalRequest.objects.filter(
            pk=request.pk, status=DisposalRequest.Status.PROPOSED
        ).update(
            status=DisposalRequest.Status.REJECTED,
            decided_by=membership.user,
            decided_at=timezone.now(),
            decision_note=note.strip(),
        )
        if not claimed:
            raise ValidationError(_("This disposal request has already been decided."))
        request.refresh_from_db()
        event_log_append(
            organisation=membership.organisation,
            actor=membership.user,
            action="disposal_rejected",
            target=request,
            details={"note": request.decision_note},
        )
    return request


def _still_eligible(item: RetainedRecord, today) -> tuple[bool, str]:
    """Check again, on fresh data, that the item may be destroyed now; (eligible, the code of
    why not: a key of DisposalRecord.KEPT_REASONS)."""
    if item.document is not None:
        item = retention_index_document(item.document)
    else:
        model = item.content_type.model_class()
        obj = model._base_manager.filter(pk=item.object_id).first() if model else None
        if obj is None:
            return False, "record_gone"
        item = retention_index_record(obj) or item
    if is_on_hold(item):
        return False, "on_hold"
    if item.retained_until is None or item.retained_until > today:
        return False, "retention_running"
    return True, ""


def _remove_bytes(name: str) -> None:
    # Several document rows may share stored bytes (same file uploaded twice): keep them then.
    if name and not Document.objects.filter(file=name).exists():
        default_storage.delete(name)


def _destroy(item: RetainedRecord) -> tuple[bool, str, dict]:
    """Delete the record or document; (destroyed, reason, facts for the disposal record)."""
    document = item.document
    if document is not None:
        facts = {
            "file_name": document.original_name,
            "sha256": document.sha256,
            "size": document.size,
        }
        stored_name = document.file.name
        item.document = None
        item.disposed_at = timezone.now()
        item.save(update_fields=["document", "disposed_at", "refreshed_at"])
        with disposal_permit([record_key(document)]):
            document.delete()
        transaction.on_commit(lambda: _remove_bytes(stored_name))
        return True, "", facts
    model = item.content_type.model_class()
    assert model is not None, "_still_eligible found the record just before"
    obj = model._base_manager.get(pk=item.object_id)
    try:
        with transaction.atomic(), disposal_permit([record_key(obj)]):
            obj.delete()
            history = getattr(model, "history", None)
            if history is not None:
                # The record's past versions are destroyed with it: only the disposal record
                # and the event log (which hold no field values) remain.
                history.model.objects.filter(id=item.object_id).delete()
    except Exception as exc:  # whatever the record's own rules refuse, it is kept and said why
        return False, str(getattr(exc, "message", exc))[:300], {}
    item.disposed_at = timezone.now()
    item.save(update_fields=["disposed_at", "refreshed_at"])
    return True, "", {}


def disposal_approve(*, membership, request: DisposalRequest, note: str = "") -> DisposalRequest:
    """Management approves: each item still eligible is destroyed and recorded; any item no
    longer eligible (a hold placed since, a rule made longer) is kept and recorded as kept."""
    _require_decider(membership, request)
    organisation = membership.organisation
    today = timezone.localdate()
    with transaction.atomic():
        now = timezone.now()
        claimed = DisposalRequest.objects.filter(
            pk=request.pk, status=DisposalRequest.Status.PROPOSED
        ).update(
            status=DisposalRequest.Status.COMPLETED,
            decided_by=membership.user,
            decided_at=now,
            decision_note=note.strip(),
        )
        if not claimed:
            raise ValidationError(_("This disposal request has already been decided."))
        request.refresh_from_db()
        # Documents before the records they belong to.
        items = request.items.select_related("document", "content_type").order_by(
            "-document_type", "pk"
        )
        for item in items:
            if item.disposed_at is not None:
                continue
            eligible, reason = _still_eligible(item, today)
            facts = {}
            if eligible:
                facts = (
                    {
                        "file_name": item.document.original_name,
                        "sha256": item.document.sha256,
                        "size": item.document.size,
                    }
                    if item.document_id
                    else {}
                )
                destroyed, reason, destroyed_facts = _destroy(item)
                facts = destroyed_facts or facts
            else:
                destroyed = False
            DisposalRecord.objects.create(
                organisation=organisation,
                request=request,
                retained_record=item,
                outcome=DisposalRecord.Outcome.DESTROYED
                if destroyed
                else DisposalRecord.Outcome.KEPT,
                outcome_reason=reason,
                record_type=item.record_type,
                object_id=item.object_id,
                title=item.title,
                file_name=facts.get("file_name", ""),
                sha256=facts.get("sha256", ""),
                size=facts.get("size"),
                retained_until=item.retained_until,
                proposed_by=request.proposed_by,
                approved_by=membership.user,
                approved_at=now,
                disposed_at=timezone.now() if destroyed else None,
            )
            event_log_append(
                organisation=organisation,
                actor=membership.user,
                action="dispose",
                record_type=item.record_type,
                object_id=item.object_id,
                object_repr=item.title,
                details={
                    "request": request.reference,
                    "outcome": "destroyed" if destroyed else "kept",
                    "reason": reason,
                    "sha256": facts.get("sha256", ""),
                    "proposed_by": request.proposed_by_id,
                },
            )
    return request


def disposal_outcome_summary(*, request: DisposalRequest) -> dict:
    """How many records an approved request destroyed and kept, and why the kept ones stayed."""
    records = list(request.disposal_records.values_list("outcome", "outcome_reason"))
    kept_reasons = sorted(
        {
            kept_reason_text(reason)
            for outcome, reason in records
            if outcome == DisposalRecord.Outcome.KEPT and reason
        }
    )
    destroyed = sum(
        1 for outcome, _reason in records if outcome == DisposalRecord.Outcome.DESTROYED
    )
    return {"destroyed": destroyed, "kept": len(records) - destroyed, "kept_reasons": kept_reasons}
