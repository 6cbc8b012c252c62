"""Legal holds block disposal; disposal needs management's approval and leaves a record."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from icp.models import Incident
from records.models import DisposalRecord, Document, EventLogEntry, RetainedRecord
from records.services import disposal as disposal_services
from records.services import holds as hold_services
from records.services.eventlog import event_log_verify
from records.services.retention import retention_refresh
from tests.icp.factories_emergency import IncidentFactory
from tests.records.factories import attach

pytestmark = pytest.mark.django_db


def _m(world, persona):
    return world.users[persona].memberships.get(organisation=world.organisation)


@pytest.fixture
def expired(world):
    """A closed incident of six years ago with one document: its retention has ended."""
    incident = IncidentFactory(organisation=world.organisation, title="Old concern")
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    long_ago = timezone.now() - relativedelta(years=6)
    Incident.objects.filter(pk=incident.pk).update(status="closed", closed_at=long_ago)
    Document._base_manager.filter(pk=document.pk).update(uploaded_at=long_ago)
    retention_refresh(organisation=world.organisation)
    record = RetainedRecord.objects.get(record_type="icp.incident", object_id=str(incident.pk))
    return incident, document, record


def test_the_schedule_lists_what_may_be_destroyed(world, expired):
    _incident, document, record = expired
    recent = IncidentFactory(organisation=world.organisation)
    retention_refresh(organisation=world.organisation)
    schedule = set(disposal_services.disposal_schedule(organisation=world.organisation))
    assert record in schedule and document.retention in schedule
    assert not RetainedRecord.objects.filter(
        object_id=str(recent.pk), pk__in=[r.pk for r in schedule]
    ).exists()


def test_a_legal_hold_blocks_disposal_whatever_the_retention_says(world, expired):
    _incident, document, record = expired
    hold = hold_services.hold_place(
        membership=_m(world, "manager"),
        kind="mofcom_inquiry",
        reference="商务部函〔2026〕12号",
        title="MOFCOM inquiry",
        items=[record],
    )
    schedule = disposal_services.disposal_schedule(organisation=world.organisation)
    assert record not in schedule
    assert document.retention not in schedule  # held through its record
    with pytest.raises(ValidationError):
        disposal_services.disposal_propose(membership=_m(world, "manager"), items=[record])
    hold_services.hold_release(membership=_m(world, "manager"), hold=hold, note="Inquiry closed")
    assert record in disposal_services.disposal_schedule(organisation=world.organisation)


def test_disposal_is_proposed_by_compliance_and_approved_by_management(world, expired):
    incident, document, record = expired
    with pytest.raises(PermissionDenied):
        disposal_services.disposal_propose(membership=_m(world, "auditor"), items=[record])
    request = disposal_services.disposal_propose(
        membership=_m(world, "manager"), items=[record], reason="Retention ended"
    )
    assert set(request.items.all()) == {record, document.retention}
    for persona in ("manager", "auditor", "staff"):
        with pytest.raises(PermissionDenied):
            disposal_services.disposal_approve(membership=_m(world, persona), request=request)
    stored_name = document.file.name
    assert default_storage.exists(stored_name)
    with django_capture_on_commit():
        disposal_services.disposal_approve(
            membership=_m(world, "executive"), request=request, note="OK"
        )
    request.refresh_from_db()
    assert request.status == "completed" and request.decided_by == world.users["executive"]
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Incident.objects.filter(pk=incident.pk).exists()
    assert not default_storage.exists(stored_name)  # the bytes are gone
    records = {r.record_type: r for r in DisposalRecord.objects.filter(request=request)}
    assert records["records.document"].sha256 == document.sha256
    assert records["records.document"].outcome == "destroyed"
    assert records["records.document"].approved_by == world.users["executive"]
    assert records["records.document"].proposed_by == world.users["manager"]
    assert records["icp.incident"].outcome == "destroyed"
    record.refresh_from_db()
    assert record.disposed_at is not None
    assert EventLogEntry.objects.filter(action="dispose").count() == 2
    assert event_log_verify(organisation=world.organisation).ok


def test_a_hold_placed_after_the_proposal_still_keeps_the_records(world, expired):
    incident, document, record = expired
    request = disposal_services.disposal_propose(membership=_m(world, "manager"), items=[record])
    hold_services.hold_place(
        membership=_m(world, "manager"),
        kind="customs_challenge",
        reference="海关 2026-7",
        title="Customs challenge",
        items=[record],
    )
    disposal_services.disposal_approve(membership=_m(world, "executive"), request=request)
    assert Document.objects.filter(pk=document.pk).exists()
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert set(DisposalRecord.objects.values_list("outcome", flat=True)) == {"kept"}


def test_a_rejected_disposal_destroys_nothing(world, expired):
    _incident, document, record = expired
    request = disposal_services.disposal_propose(membership=_m(world, "manager"), items=[record])
    with pytest.raises(ValidationError):
        disposal_services.disposal_reject(
            membership=_m(world, "executive"), request=request, note=""
        )
    disposal_services.disposal_reject(
        membership=_m(world, "executive"), request=request, note="Keep for the audit"
    )
    with pytest.raises(ValidationError):
        disposal_services.disposal_approve(membership=_m(world, "executive"), request=request)
    assert Document.objects.filter(pk=document.pk).exists()


def test_disposal_records_cannot_be_changed(world, expired):
    _incident, _document, record = expired
    request = disposal_services.disposal_propose(membership=_m(world, "manager"), items=[record])
    disposal_services.disposal_approve(membership=_m(world, "executive"), request=request)
    entry = DisposalRecord.objects.first()
    from records.models import RetentionError

    with pytest.raises(RetentionError):
        entry.save()
    with pytest.raises(RetentionError):
        DisposalRecord.objects.all().delete()
    with pytest.raises(RetentionError):
        DisposalRecord.objects.update(sha256="")


def test_holds_are_for_compliance_managers(world, expired):
    _incident, _document, record = expired
    with pytest.raises(PermissionDenied):
        hold_services.hold_place(
            membership=_m(world, "executive"),
            kind="investigation",
            reference="X",
            title="X",
            items=[record],
        )


def django_capture_on_commit():
    """Run on_commit callbacks (the removal of the bytes) inside the test's transaction."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
