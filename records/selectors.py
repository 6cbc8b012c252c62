"""Scoped reads of the records app: retention states, holds, disposals, the event log."""

import datetime

from django.apps import apps
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.eventlog import _record_repr
from core.models import Job
from core.registry import record_model
from records.models import (
    DisposalRequest,
    Document,
    EventLogEntry,
    LegalHold,
    Notification,
    RetainedRecord,
    RetentionRule,
)
from records.models.retention import RetentionState
from records.services.retention import DOCUMENT_LABEL, held_expression
from records.signals import WRITE_LOGGED
from records.subjects import retention_subjects


def record_type_choices() -> list[tuple[str, str]]:
    """(label, name) of every record type under retention, documents first."""
    choices = [(DOCUMENT_LABEL, str(_("Document")))]
    for subject in retention_subjects():
        choices.append((subject.label, str(subject.verbose_name).capitalize()))
    return choices


def record_type_name(label: str) -> str:
    if label == DOCUMENT_LABEL:
        return str(_("Document"))
    try:
        return str(record_model(label)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return label


def with_state(queryset, *, today: datetime.date | None = None):
    """Annotate `on_hold` and `state` (a RetentionState value) in the database, so lists can
    filter and count by state without a query per row."""
    today = today or timezone.localdate()
    return queryset.annotate(on_hold=held_expression()).annotate(
        state=Case(
            When(disposed_at__isnull=False, then=Value(RetentionState.DISPOSED)),
            When(on_hold=True, then=Value(RetentionState.ON_HOLD)),
            When(retained_until__isnull=True, then=Value(RetentionState.OPEN)),
            When(retained_until__gt=today, then=Value(RetentionState.RETAINED)),
            default=Value(RetentionState.ELIGIBLE),
            output_field=CharField(),
        )
    )


def retained_list(*, organisation):
    return with_state(
        RetainedRecord.objects.for_organisation(organisation).select_related("parent", "rule")
    )


def retained_get(*, organisation, pk) -> RetainedRecord:
    return (
        with_state(RetainedRecord.objects.for_organisation(organisation))
        .select_related("parent", "rule", "document__uploaded_by", "content_type")
        .get(pk=pk)
    )


def retention_counts(*, organisation) -> dict:
    rows = (
        retained_list(organisation=organisation)
        .order_by()
        .values("state")
        .annotate(count=Count("pk"))
    )
    counts = {state: 0 for state in RetentionState.values}
    counts.update({row["state"]: row["count"] for row in rows})
    return counts


def rules_of(*, organisation):
    return RetentionRule.objects.for_organisation(organisation).select_related("updated_by")


def holds_of(*, organisation):
    return (
        LegalHold.objects.for_organisation(organisation)
        .select_related("placed_by", "released_by")
        .annotate(item_count=Count("items"))
        .order_by("released_at", "-placed_at")
    )


def hold_items(*, hold: LegalHold):
    return with_state(hold.items.all()).select_related("parent").order_by("record_type", "title")


def disposals_of(*, organisation):
    return (
        DisposalRequest.objects.for_organisation(organisation)
        .select_related("proposed_by", "decided_by")
        .annotate(item_count=Count("items"))
    )


def events_of_record(*, organisation, record_type: str, object_id: str, limit: int = 50):
    return (
        EventLogEntry.objects.for_organisation(organisation)
        .filter(record_type=record_type, object_id=object_id)
        .select_related("actor")
        .order_by("-sequence")[:limit]
    )


def hold_candidates(*, organisation, query: str, exclude_hold: LegalHold | None = None, limit=20):
    """Records (not yet disposed) whose title matches `query`, for adding to a hold."""
    rows = RetainedRecord.objects.for_organisation(organisation).filter(disposed_at__isnull=True)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(parent__title__icontains=query))
    if exclude_hold is not None:
        rows = rows.exclude(holds=exclude_hold)
    return rows.select_related("parent").order_by("-created_at")[:limit]


def _live_name(instance) -> str:
    """A record's name now, in the active language, as the event log's writers name it."""

    label = instance._meta.label_lower
    if label in WRITE_LOGGED:
        return str(WRITE_LOGGED[label][2](instance))
    return _record_repr(instance)


def _stored_label(entry: EventLogEntry) -> str:
    """The label of an entry whose record has no live name: the event log's own exports and the
    inspection bundles are named in the reader's language; anything else as it was written."""
    from django.utils import translation
    from django.utils.translation import gettext

    from records.forms import BundleForm

    if entry.record_type == "records.eventlogentry" and not entry.object_id:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                if entry.object_repr == gettext("Event log export"):
                    return gettext("Event log export")
    if entry.record_type == "records.bundle" and entry.action == "export":
        scope = dict(BundleForm.SCOPES).get((entry.details or {}).get("scope", ""))
        if scope is not None:
            return gettext("Inspection bundle: %(scope)s") % {"scope": scope}
    return entry.object_repr


def live_names(keys) -> dict[tuple[str, str], str]:
    """{(record type, id): the record's name now, in the active language} of the records that
    still exist. One query per record type."""
    wanted: dict[str, set] = {}
    for record_type, object_id in keys:
        if object_id and record_type:
            wanted.setdefault(record_type, set()).add(str(object_id))
    found: dict[tuple[str, str], str] = {}
    for record_type, ids in wanted.items():
        try:
            model = record_model(record_type)
        except (LookupError, ValueError):
            continue
        try:
            # Names often follow a foreign key (a membership by its user): joined, not queried
            # per row.
            rows = list(model._base_manager.filter(pk__in=ids).select_related())
        except (ValueError, TypeError):  # ids that are not keys of this model
            continue
        for row in rows:
            found[(record_type, str(row.pk))] = _live_name(row)
    return found


def event_log_labels(entries) -> list:
    """Give each entry a `label`: the record's name now, in the reader's language, when the
    record still exists; otherwise the name stored when the entry was written (which the entry's
    hash covers and which stays unchanged). A fixed number of queries per record type."""
    entries = list(entries)
    found = live_names((entry.record_type, entry.object_id) for entry in entries)
    for entry in entries:
        entry.label = found.get((entry.record_type, entry.object_id)) or _stored_label(entry)
    return entries


def retained_labels(rows) -> list:
    """Give each retained record (and its parent) a `label`: the record's name now, in the
    reader's language, when it still exists; a document's file name and a record gone keep the
    title stored when it was indexed."""
    rows = list(rows)
    every = [*rows, *(row.parent for row in rows if row.parent_id)]
    found = live_names((row.record_type, row.object_id) for row in every if row.document_id is None)
    for row in every:
        row.label = found.get((row.record_type, row.object_id)) or row.title
    return rows


# --- one record of the organisation, 404 for another organisation's -----------------------------


def document_get(*, organisation, pk) -> Document:
    return get_object_or_404(
        Document.objects.for_organisation(organisation).select_related("content_type"), pk=pk
    )


def rule_get(*, organisation, pk) -> RetentionRule:
    return get_object_or_404(RetentionRule.objects.for_organisation(organisation), pk=pk)


def hold_get(*, organisation, pk) -> LegalHold:
    return get_object_or_404(
        LegalHold.objects.for_organisation(organisation).select_related("placed_by", "released_by"),
        pk=pk,
    )


def hold_item_get(*, hold: LegalHold, pk) -> RetainedRecord:
    """A record the hold covers, 404 otherwise."""
    return get_object_or_404(hold.items.all(), pk=pk)


def retained_chosen(*, organisation, pks) -> QuerySet[RetainedRecord]:
    """The organisation's records among the ids a form posted (ids that are not numbers and
    other organisations' records are left out)."""
    return RetainedRecord.objects.for_organisation(organisation).filter(
        pk__in=[pk for pk in pks if str(pk).isdigit()]
    )


def disposal_get(*, organisation, pk) -> DisposalRequest:
    return get_object_or_404(
        DisposalRequest.objects.for_organisation(organisation).select_related(
            "proposed_by", "decided_by"
        ),
        pk=pk,
    )


def event_log_count(*, organisation) -> int:
    return EventLogEntry.objects.for_organisation(organisation).count()


def event_log_entry_at(*, organisation, sequence) -> EventLogEntry | None:
    return EventLogEntry.objects.for_organisation(organisation).filter(sequence=sequence).first()


def bundle_transaction_find(*, organisation, reference: str):
    """The organisation's transaction with this reference, None when there is none (or no trade
    app: records sits below it and reads the model through the app registry)."""
    try:
        transaction_model = apps.get_model("trade", "Transaction")
    except LookupError:
        return None
    return (
        transaction_model.objects.for_organisation(organisation)
        .filter(reference=reference.strip())
        .first()
    )


def bundle_job_get(*, organisation, pk) -> Job:
    return get_object_or_404(
        Job.objects.filter(organisation=organisation, kind="records.bundle"), pk=pk
    )


def notification_get(*, organisation, user, pk) -> Notification:
    """One of the user's notifications in the organisation, 404 for anyone else's."""
    return get_object_or_404(
        Notification.objects.for_organisation(organisation).filter(user=user), pk=pk
    )
