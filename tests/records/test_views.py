"""Pages: query counts on 200 rows, filters by state, and one happy path per form."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from icp.models import Incident
from records.models import LegalHold, Notification, RetainedRecord, RetentionRule
from records.services.eventlog import event_log_append

pytestmark = pytest.mark.django_db


def _rows(world, n=200):
    ct = ContentType.objects.get_for_model(Incident)
    today = timezone.localdate()
    hold = LegalHold.objects.create(
        organisation=world.organisation,
        kind="mofcom_inquiry",
        reference="商务部函〔2026〕1号",
        title="Inquiry",
        placed_by=world.users["manager"],
    )
    rows = RetainedRecord.objects.bulk_create(
        RetainedRecord(
            organisation=world.organisation,
            content_type=ct,
            object_id=str(10_000 + i),
            record_type="icp.incident",
            title=f"INC-2020-{i:03d}",
            created_at=timezone.now(),
            start_event="ended",
            years=5,
            retained_until=today + datetime.timedelta(days=i - 100),
        )
        for i in range(n)
    )
    hold.items.add(*rows[:10])
    return rows


def test_the_retention_list_filters_by_state_in_fixed_queries(world, django_assert_max_num_queries):
    _rows(world)
    client = world.client("manager")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("records:retained_list"))
    assert response.status_code == 200
    held = client.get(reverse("records:retained_list") + "?state=on_hold")
    assert held.context["paginator"].count == 10
    eligible = client.get(reverse("records:retained_list") + "?state=eligible")
    assert eligible.context["paginator"].count == 91  # ended on or before today, not held
    with django_assert_max_num_queries(12):
        export = client.get(reverse("records:retained_list") + "?export=csv")
        content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert content.count("\n") == 201


def test_the_event_log_page_in_fixed_queries(world, django_assert_max_num_queries):
    for i in range(200):
        event_log_append(
            organisation=world.organisation,
            actor=world.users["manager"],
            action="download",
            record_type="records.document",
            object_id=str(i),
            object_repr=f"euc-{i}.pdf",
        )
    client = world.client("auditor")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("records:event_log"))
    assert response.status_code == 200
    assert response.context["paginator"].count == 200


def test_the_notification_centre_in_fixed_queries(world, django_assert_max_num_queries):
    Notification.objects.bulk_create(
        Notification(
            organisation=world.organisation,
            user=world.users["staff"],
            kind="training",
            key=f"training:{i}",
            title=f"Training {i}",
        )
        for i in range(200)
    )
    client = world.client("staff")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("records:notification_list"))
    assert response.context["unread"] == 200


def test_overview_and_hold_detail_in_fixed_queries(world, django_assert_max_num_queries):
    _rows(world)
    client = world.client("executive")
    with django_assert_max_num_queries(15):
        assert client.get(reverse("records:overview")).status_code == 200
    hold = LegalHold.objects.get()
    with django_assert_max_num_queries(15):
        assert client.get(reverse("records:hold_detail", args=[hold.pk])).status_code == 200


def test_a_manager_keeps_rules_and_holds_through_the_pages(world):
    client = world.client("manager")
    response = client.post(
        reverse("records:rule_create"),
        {
            "subject": "record",
            "record_type": "icp.incident",
            "document_type": "",
            "start_event": "ended",
            "years": "4",
            "note": "",
        },
    )
    assert response.status_code == 200 and "years" in response.context["form"].errors
    response = client.post(
        reverse("records:rule_create"),
        {
            "subject": "record",
            "record_type": "icp.incident",
            "document_type": "",
            "start_event": "ended",
            "years": "8",
            "note": "Group policy",
        },
    )
    assert response.status_code == 302
    assert RetentionRule.objects.get().years == 8
    response = client.post(
        reverse("records:hold_create"),
        {
            "kind": "mofcom_inquiry",
            "reference": "商务部函〔2026〕9号",
            "title": "Inquiry on SO-2025-0042",
            "description": "",
        },
    )
    hold = LegalHold.objects.get()
    assert response.url == hold.get_absolute_url()
    incident = Incident.objects.create(
        organisation=world.organisation,
        reference="INC-2025-004",
        title="Order SO-2025-0042",
        description="x",
    )
    page = client.get(reverse("records:hold_detail", args=[hold.pk]) + "?q=SO-2025-0042")
    candidates = list(page.context["candidates"])
    assert [c.object_id for c in candidates] == [str(incident.pk)]
    client.post(reverse("records:hold_add", args=[hold.pk]), {"item": [candidates[0].pk]})
    assert hold.items.count() == 1
    response = client.get(reverse("records:retained_list") + "?state=on_hold")
    assert response.context["paginator"].count == 1


def test_the_retention_export_names_each_record_as_the_page_does(world):
    """The export's "Record" and "Belongs to" columns are the names the list shows now, in the
    reader's language, not the title stored when the record was indexed."""
    from tests.icp.factories_emergency import IncidentFactory

    incident = IncidentFactory(organisation=world.organisation)
    retained = RetainedRecord.objects.get(record_type="icp.incident", object_id=str(incident.pk))
    RetainedRecord.objects.filter(pk=retained.pk).update(title="stale title")
    client = world.client("manager")
    page = client.get(reverse("records:retained_list"))
    shown = {row.pk: row.label for row in page.context["object_list"]}
    assert shown[retained.pk] != "stale title"
    export = client.get(reverse("records:retained_list") + "?export=csv")
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert not any("stale title" in line for line in lines)
    assert any(line.startswith(shown[retained.pk]) for line in lines[1:])
