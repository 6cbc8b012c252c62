"""Retention rules, the retention index, and the guard: nothing within its retention period can
be deleted or overwritten, through any path."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from icp.models import Incident, PolicyVersion
from records.models import Document, RetainedRecord, RetentionError, RetentionRule
from records.selectors import with_state
from records.services.retention import retention_refresh, retention_rule_save
from tests.icp.factories_emergency import IncidentFactory
from tests.icp.factories_policy import PolicyVersionFactory
from tests.records.factories import attach

pytestmark = pytest.mark.django_db


def _membership(world, persona="manager"):
    return world.users[persona].memberships.get(organisation=world.organisation)


def _close(incident, when):
    Incident.objects.filter(pk=incident.pk).update(status="closed", closed_at=when)
    incident.refresh_from_db()


def _backdate(document, when):
    # The model and its queryset refuse this; only a test reaches under them.
    Document._base_manager.filter(pk=document.pk).update(uploaded_at=when)
    document.refresh_from_db()


def _state(row):
    return with_state(RetainedRecord.objects.filter(pk=row.pk)).get().state


def test_an_open_record_and_its_documents_are_kept_while_open(world):
    incident = IncidentFactory(organisation=world.organisation)
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    row = document.retention
    assert row.parent.object_id == str(incident.pk)
    assert row.retained_until is None and row.parent.retained_until is None
    assert _state(row) == "open"


def test_closing_starts_the_five_years_and_documents_never_end_before_their_record(world):
    incident = IncidentFactory(organisation=world.organisation)
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    closed = timezone.now() + datetime.timedelta(days=10)
    _close(incident, closed)
    retention_refresh(organisation=world.organisation)
    document.retention.refresh_from_db()
    expected = timezone.localdate(closed) + relativedelta(years=5)
    assert document.retention.parent.retained_until == expected
    # Uploaded before the closure: its own five years end earlier, its record's count.
    assert document.retention.retained_until == expected
    assert _state(document.retention) == "retained"


def test_a_longer_rule_wins_and_is_logged(world):
    incident = IncidentFactory(organisation=world.organisation)
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    closed = timezone.now()
    _close(incident, closed)
    rule = RetentionRule(
        subject="document", document_type="end_user_certificate", start_event="ended", years=10
    )
    retention_rule_save(membership=_membership(world), rule=rule)
    document.retention.refresh_from_db()
    assert document.retention.years == 10
    assert document.retention.rule == rule
    assert document.retention.retained_until == timezone.localdate(closed) + relativedelta(years=10)


def test_no_rule_may_be_shorter_than_the_legal_minimum(world):
    rule = RetentionRule(subject="record", record_type="icp.incident", years=3)
    with pytest.raises(ValidationError) as error:
        retention_rule_save(membership=_membership(world), rule=rule)
    assert "years" in error.value.message_dict
    # Even a row written past the service is refused by the database.
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionRule.objects.create(organisation=world.organisation, subject="record", years=4)


def test_only_compliance_managers_change_rules(world):
    for persona in ("auditor", "executive", "staff"):
        with pytest.raises(PermissionDenied):
            retention_rule_save(
                membership=_membership(world, persona), rule=RetentionRule(subject="record")
            )


def test_a_document_cannot_be_deleted_by_model_or_queryset(world):
    incident = IncidentFactory(organisation=world.organisation)
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    with pytest.raises(RetentionError):
        document.delete()
    with pytest.raises(RetentionError):
        Document.objects.filter(pk=document.pk).delete()
    with pytest.raises(RetentionError):
        Document.objects.all().delete()
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_document_cannot_be_overwritten(world):
    incident = IncidentFactory(organisation=world.organisation)
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    other = attach(
        organisation=world.organisation,
        user=world.users["manager"],
        target=incident,
        name="other.pdf",
    )
    document.file.name = other.file.name
    with pytest.raises(RetentionError):
        document.save()
    with pytest.raises(RetentionError):
        Document.objects.filter(pk=document.pk).update(sha256="0" * 64)
    with pytest.raises(RetentionError):
        Document.objects.filter(pk=document.pk).update(file="documents/elsewhere")
    # The description is the one thing that may be corrected.
    Document.objects.filter(pk=document.pk).update(description="signed copy")
    document.refresh_from_db()
    assert document.file.name != other.file.name


def test_a_regulated_record_cannot_be_deleted_through_any_path(world):
    incident = IncidentFactory(organisation=world.organisation)
    # pre_delete refuses inside Django's delete transaction: a savepoint keeps the test's own.
    with pytest.raises(RetentionError), transaction.atomic():
        incident.delete()
    with pytest.raises(RetentionError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).delete()
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_even_after_retention_ends_deletion_needs_an_approved_disposal(world):
    incident = IncidentFactory(organisation=world.organisation)
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    long_ago = timezone.now() - relativedelta(years=6)
    _close(incident, long_ago)
    _backdate(document, long_ago)
    retention_refresh(organisation=world.organisation)
    assert _state(RetainedRecord.objects.get(document=document)) == "eligible"
    with pytest.raises(RetentionError) as error:
        document.delete()
    assert error.value.code == "needs_disposal_approval"


def test_a_draft_is_not_a_record_and_may_be_discarded(world):
    draft = PolicyVersionFactory(organisation=world.organisation, created_by=world.users["manager"])
    draft.delete()
    assert not PolicyVersion.objects.filter(pk=draft.pk).exists()


def test_a_submitted_policy_is_a_record(world):
    version = PolicyVersionFactory(
        organisation=world.organisation, created_by=world.users["manager"], submitted=True
    )
    retention_refresh(organisation=world.organisation)
    row = RetainedRecord.objects.get(record_type="icp.policyversion", object_id=str(version.pk))
    assert row.retained_until is None  # kept until superseded, then five years


def test_the_admin_cannot_delete_a_document(world, client):
    from django.urls import reverse

    from tests.accounts.factories import UserFactory

    incident = IncidentFactory(organisation=world.organisation)
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    admin = UserFactory(email="root@acme.test", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:records_document_delete", args=[document.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()
