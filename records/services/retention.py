"""Retention: how long each record and document is kept, the retention index, and the guard that
refuses to delete anything that must be kept.

The longest applicable rule wins and no rule is shorter than the legal minimum (five years, REGS
2024 Art. 27). A document is kept at least as long as the record it is attached to. The guard
runs in `Document.delete()`, `DocumentQuerySet.delete()` and, for every other regulated record
type, in a `pre_delete` receiver: so pages, the admin, the API and management commands are all
refused alike. Only an approved disposal (records.services.disposal) opens a permit for the
exact records it destroys, after checking again that their retention has ended and no hold
covers them.
"""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import roles as role_sets
from accounts.permissions import require_role
from records.models import (
    LEGAL_MINIMUM_YEARS,
    Document,
    LegalHold,
    RetainedRecord,
    RetentionError,
    RetentionRule,
    StartEvent,
)
from records.subjects import RetentionSubject, retention_subject, retention_subjects

DOCUMENT_LABEL = "records.document"

_PERMITS: ContextVar[frozenset] = ContextVar("records_disposal_permits", default=frozenset())


def record_key(obj) -> tuple[str, str]:
    return (obj._meta.label_lower, str(obj.pk))


@contextmanager
def disposal_permit(keys: Iterable[tuple[str, str]]):
    """Allow the deletion of exactly these records, for the approved disposal running now."""
    token = _PERMITS.set(_PERMITS.get() | frozenset(keys))
    try:
        yield
    finally:
        _PERMITS.reset(token)


def _as_datetime(value) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def _until(start: datetime.datetime | None, years: int) -> datetime.date | None:
    if start is None:
        return None
    return timezone.localdate(start) + relativedelta(years=years)


def _later(first: datetime.date | None, second: datetime.date | None) -> datetime.date | None:
    """The later of two retention ends; None (still open, kept indefinitely) beats any date."""
    if first is None or second is None:
        return None
    return max(first, second)


@dataclass(frozen=True)
class Retention:
    start_event: str
    years: int
    rule: RetentionRule | None
    retained_until: datetime.date | None


def _best(options: list[tuple[str, int, RetentionRule | None, datetime.date | None]]) -> Retention:
    """Of the applicable rules, the one that keeps the record longest (the first option is the
    legal minimum, so there always is one)."""
    first, *rest = options
    best = Retention(*first)
    for start_event, years, rule, until in rest:
        if best.retained_until is None:
            continue
        if until is None or until > best.retained_until:
            best = Retention(start_event, years, rule, until)
    return best


def _applicable_rules(rules, *, subject: str, record_type: str, document_type: str = ""):
    return [
        rule
        for rule in rules
        if rule.subject == subject
        and rule.record_type in ("", record_type)
        and (subject == RetentionRule.Subject.RECORD or rule.document_type in ("", document_type))
    ]


def compute_record_retention(
    *, rules, record_type: str, created_at, ended_at, has_end_event: bool
) -> Retention:
    created_at, ended_at = _as_datetime(created_at), _as_datetime(ended_at)
    default_event = StartEvent.ENDED if has_end_event else StartEvent.CREATED
    options = []
    for rule in [None, *_applicable_rules(rules, subject="record", record_type=record_type)]:
        event = rule.start_event if rule else default_event
        years = max(rule.years if rule else LEGAL_MINIMUM_YEARS, LEGAL_MINIMUM_YEARS)
        start = created_at if event == StartEvent.CREATED else ended_at
        options.append((event, years, rule, _until(start, years)))
    return _best(options)


def compute_document_retention(
    *, rules, document: Document, parent_label: str, parent_ended_at, parent_until, has_parent
) -> Retention:
    """A document's retention: its own rules, and never shorter than its record's."""
    uploaded = _as_datetime(document.uploaded_at)
    parent_ended_at = _as_datetime(parent_ended_at)
    options = []
    applicable = _applicable_rules(
        rules, subject="document", record_type=parent_label, document_type=document.document_type
    )
    for rule in [None, *applicable]:
        event = rule.start_event if rule else StartEvent.CREATED
        years = max(rule.years if rule else LEGAL_MINIMUM_YEARS, LEGAL_MINIMUM_YEARS)
        start = uploaded if event == StartEvent.CREATED else parent_ended_at
        until = _until(start, years)
        if has_parent:
            until = _later(until, parent_until)
        options.append((event, years, rule, until))
    return _best(options)


# --- which objects are guarded ---------------------------------------------------------------


def is_regulated(obj) -> bool:
    """Whether `obj` is a record the law makes us keep (a document, or a record, not a draft)."""
    if isinstance(obj, Document):
        return True
    subject = retention_subject(obj._meta.label_lower)
    if subject is None or obj.pk is None:
        return False
    return type(obj)._base_manager.filter(pk=obj.pk).filter(subject.record_filter).exists()


def held_expression():
    """True for index rows under an active legal hold, directly or through their record."""
    active = LegalHold.items.through.objects.filter(legalhold__released_at__isnull=True)
    return Exists(active.filter(retainedrecord_id=OuterRef("pk"))) | Exists(
        active.filter(retainedrecord_id=OuterRef("parent_id"))
    )


def is_on_hold(retained: RetainedRecord | None) -> bool:
    if retained is None:
        return False
    return RetainedRecord.objects.filter(pk=retained.pk).filter(held_expression()).exists()


def retention_guard_delete(obj) -> None:
    """Refuse to delete `obj` unless an approved disposal is destroying exactly this record."""
    if record_key(obj) in _PERMITS.get():
        return
    if not is_regulated(obj):
        return
    retained = retention_index(obj)
    name = str(obj)
    if is_on_hold(retained):
        raise RetentionError(
            _("%(record)s is under a legal hold and cannot be deleted."),
            params={"record": name},
            code="on_hold",
        )
    if retained is None or retained.retained_until is None:
        raise RetentionError(
            _(
                "%(record)s must be kept while it is open and for at least %(years)d years "
                "after (REGS 2024 Art. 27); it cannot be deleted."
            ),
            params={"record": name, "years": LEGAL_MINIMUM_YEARS},
            code="retained",
        )
    if retained.retained_until > timezone.localdate():
        raise RetentionError(
            _("%(record)s must be kept until %(date)s (REGS 2024 Art. 27); it cannot be deleted."),
            params={"record": name, "date": formats.date_format(retained.retained_until)},
            code="retained",
        )
    raise RetentionError(
        _(
            "The retention period of %(record)s has ended; it may only be destroyed through a "
            "disposal request approved by management."
        ),
        params={"record": name},
        code="needs_disposal_approval",
    )


def guard_pre_delete(sender, instance, **kwargs) -> None:
    """pre_delete receiver for regulated record types: the same guard as Document.delete()."""
    retention_guard_delete(instance)


# --- the retention index ---------------------------------------------------------------------


def _rules(organisation_id) -> list[RetentionRule]:
    return list(RetentionRule.objects.filter(organisation_id=organisation_id))


def _content_type(model_or_obj) -> ContentType:
    return ContentType.objects.get_for_model(model_or_obj)


def _upsert(*, obj, values: dict) -> RetainedRecord:
    ct = _content_type(obj)
    retained = RetainedRecord.objects.filter(content_type=ct, object_id=str(obj.pk)).first()
    if retained is None:
        return RetainedRecord.objects.create(content_type=ct, object_id=str(obj.pk), **values)
    if retained.disposed_at is not None:
        return retained
    changed = [name for name, value in values.items() if getattr(retained, name) != value]
    if changed:
        for name in changed:
            setattr(retained, name, values[name])
        retained.save(update_fields=[*changed, "refreshed_at"])
    return retained


def _record_values(subject: RetentionSubject, obj, rules) -> dict:
    created_at = getattr(obj, subject.created_field)
    ended_at = getattr(obj, subject.ended_field) if subject.ended_field else created_at
    retention = compute_record_retention(
        rules=rules,
        record_type=subject.label,
        created_at=created_at,
        ended_at=ended_at,
        has_end_event=subject.ended_field is not None,
    )
    return {
        "organisation_id": obj.organisation_id,
        "record_type": subject.label,
        "title": str(obj)[:300],
        "created_at": _as_datetime(created_at) or timezone.now(),
        "ended_at": _as_datetime(ended_at),
        "start_event": retention.start_event,
        "years": retention.years,
        "rule": retention.rule,
        "retained_until": retention.retained_until,
    }


def retention_index_record(obj, *, rules=None) -> RetainedRecord | None:
    """Add or refresh the index row of a regulated record (drafts are not indexed)."""
    subject = retention_subject(obj._meta.label_lower)
    if subject is None or not is_regulated(obj):
        return None
    rules = _rules(obj.organisation_id) if rules is None else rules
    retained = _upsert(obj=obj, values=_record_values(subject, obj, rules))
    # The documents' retention follows the record's: refresh them too.
    for document in Document.objects.filter(content_type=_content_type(obj), object_id=str(obj.pk)):
        retention_index_document(document, rules=rules, parent=retained)
    return retained


def retention_index_document(
    document: Document, *, rules=None, parent: RetainedRecord | None = None
) -> RetainedRecord:
    """Add or refresh the index row of a document (and of its record when that is regulated)."""
    rules = _rules(document.organisation_id) if rules is None else rules
    parent_label = f"{document.content_type.app_label}.{document.content_type.model}"
    if parent is None and retention_subject(parent_label) is not None:
        parent = RetainedRecord.objects.filter(
            content_type_id=document.content_type_id, object_id=document.object_id
        ).first()
        if parent is None and document.target is not None:
            parent = retention_index_record(document.target, rules=rules)
    retention = compute_document_retention(
        rules=rules,
        document=document,
        parent_label=parent_label,
        parent_ended_at=parent.ended_at if parent else None,
        parent_until=parent.retained_until if parent else None,
        has_parent=parent is not None,
    )
    return _upsert(
        obj=document,
        values={
            "organisation_id": document.organisation_id,
            "record_type": DOCUMENT_LABEL,
            "title": document.original_name[:300],
            "document": document,
            "document_type": document.document_type,
            "parent": parent,
            "created_at": document.uploaded_at,
            "ended_at": parent.ended_at if parent else None,
            "start_event": retention.start_event,
            "years": retention.years,
            "rule": retention.rule,
            "retained_until": retention.retained_until,
        },
    )


def retention_index(obj) -> RetainedRecord | None:
    """The up-to-date index row of a document or regulated record (None when it is neither)."""
    if isinstance(obj, Document):
        return retention_index_document(obj)
    return retention_index_record(obj)


def retention_refresh(*, organisation) -> int:
    """Recompute the index of one organisation: every regulated record, then every document.

    Idempotent; run daily (dates pass) and after a rule changes. Returns the rows looked at.
    """
    rules = _rules(organisation.pk)
    count = 0
    with transaction.atomic():
        for subject in retention_subjects():
            records = subject.model._base_manager.filter(organisation=organisation).filter(
                subject.record_filter
            )
            for obj in records.iterator(chunk_size=500):
                _upsert(obj=obj, values=_record_values(subject, obj, rules))
                count += 1
        parents = {
            (row.content_type_id, row.object_id): row
            for row in RetainedRecord.objects.filter(organisation=organisation, document=None)
        }
        for document in (
            Document.objects.filter(organisation=organisation)
            .select_related("content_type")
            .iterator(chunk_size=500)
        ):
            parent = parents.get((document.content_type_id, document.object_id))
            retention_index_document(document, rules=rules, parent=parent)
            count += 1
    return count


# --- retention rules -------------------------------------------------------------------------


def _require_editor(membership) -> None:
    require_role(
        membership=membership,
        roles=role_sets.PROGRAMME_EDITORS,
        message=_("Only a compliance manager may change retention rules."),
    )


def retention_rule_save(*, membership, rule: RetentionRule) -> RetentionRule:
    """Create or change a rule (never below the legal minimum), log it and recompute the index."""
    from records.services.eventlog import event_log_append

    _require_editor(membership)
    rule.organisation = membership.organisation
    if rule.subject == RetentionRule.Subject.RECORD:
        rule.document_type = ""
    if rule.record_type and retention_subject(rule.record_type) is None:
        raise ValidationError({"record_type": _("Unknown record type.")})
    if rule.document_type and rule.document_type not in Document.Type.values:
        raise ValidationError({"document_type": _("Unknown document type.")})
    rule.updated_by = membership.user
    rule.full_clean()
    creating = rule.pk is None
    with transaction.atomic():
        rule.save()
        event_log_append(
            organisation=membership.organisation,
            actor=membership.user,
            action="rule",
            target=rule,
            details={
                "created": creating,
                "subject": rule.subject,
                "record_type": rule.record_type,
                "document_type": rule.document_type,
                "start_event": rule.start_event,
                "years": rule.years,
            },
        )
        retention_refresh(organisation=membership.organisation)
    return rule


def retention_rule_delete(*, membership, rule: RetentionRule) -> None:
    """Remove a rule: what it covered falls back to other rules or the legal minimum."""
    from records.services.eventlog import event_log_append

    _require_editor(membership)
    if rule.organisation_id != membership.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        event_log_append(
            organisation=membership.organisation,
            actor=membership.user,
            action="rule",
            target=rule,
            details={"deleted": True, "years": rule.years, "record_type": rule.record_type},
        )
        rule.delete()
        retention_refresh(organisation=membership.organisation)
