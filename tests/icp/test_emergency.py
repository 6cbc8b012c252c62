import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Comment
from icp.models import Incident, IncidentEvent, Scenario
from icp.services import emergency as services
from records.models import Document
from tests.icp.factories_emergency import (
    IncidentActionFactory,
    IncidentFactory,
    ResponsePlanFactory,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _membership(world, persona):
    return world.users[persona].memberships.get(organisation=world.organisation)


def _report(world, persona="staff", anonymous=False, scenario=Scenario.END_USE_CHANGED):
    return services.incident_report(
        membership=_membership(world, persona),
        title="Machines moved to another site",
        description="The distributor says the CNC machines go to a new plant.",
        scenario=scenario,
        anonymous=anonymous,
    )


def _triage(world, incident):
    return services.incident_triage(
        membership=_membership(world, "manager"),
        incident=incident,
        severity=Incident.Severity.HIGH,
        scenario=incident.scenario,
        owner=world.users["manager"],
        response_plan=None,
    )


def test_references_are_numbered_per_organisation_and_year(world):
    first, second = _report(world), _report(world, "auditor")
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"INC-{year}-001", f"INC-{year}-002")


def test_anonymous_report_keeps_no_trace_of_the_reporter(world):
    incident = _report(world, anonymous=True)
    staff = world.users["staff"]
    assert incident.reported_by is None
    assert not incident.history.filter(history_user=staff).exists()
    assert not IncidentEvent.objects.filter(incident=incident, actor=staff).exists()


def test_named_report_is_recorded_with_its_reporter(world):
    incident = _report(world)
    assert incident.reported_by == world.users["staff"]
    assert incident.events.get().kind == IncidentEvent.Kind.REPORTED


def test_only_a_compliance_manager_triages(world):
    incident = _report(world)
    with pytest.raises(PermissionDenied):
        services.incident_triage(
            membership=_membership(world, "auditor"),
            incident=incident,
            severity="high",
            scenario=incident.scenario,
            owner=world.users["auditor"],
            response_plan=None,
        )


def test_owner_must_be_a_member_of_the_organisation(world):
    incident = _report(world)
    with pytest.raises(ValidationError):
        services.incident_triage(
            membership=_membership(world, "manager"),
            incident=incident,
            severity="high",
            scenario=incident.scenario,
            owner=world.users["outsider"],
            response_plan=None,
        )


def test_reportable_incident_cannot_close_without_mofcom_report_or_reason(world):
    incident = _triage(world, _report(world))
    manager = _membership(world, "manager")
    with pytest.raises(ValidationError, match="MOFCOM"):
        services.incident_close(membership=manager, incident=incident, summary="Resolved.")
    services.incident_record_mofcom_report(
        membership=manager,
        incident=incident,
        reported_on=timezone.localdate(),
        reference="商贸服函〔2026〕12号",
        content="End use changed; shipment stopped.",
    )
    closed = services.incident_close(membership=manager, incident=incident, summary="Resolved.")
    assert closed.status == Incident.Status.CLOSED
    assert closed.closed_by == world.users["manager"]


def test_open_corrective_actions_block_closure_until_done_by_their_owner(world):
    incident = _triage(world, _report(world, scenario=Scenario.OTHER))
    manager = _membership(world, "manager")
    action = services.incident_add_action(
        membership=manager,
        incident=incident,
        description="Retrain sales on end-use questions",
        owner=world.users["staff"],
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError, match="not done"):
        services.incident_close(membership=manager, incident=incident, summary="Done.")
    with pytest.raises(PermissionDenied):
        services.incident_complete_action(
            membership=_membership(world, "auditor"), action=action, note="x"
        )
    services.incident_complete_action(
        membership=_membership(world, "staff"), action=action, note="Session held on 3 March."
    )
    services.incident_close(membership=manager, incident=incident, summary="Done.")
    kinds = list(incident.events.values_list("kind", flat=True))
    assert kinds == ["reported", "triaged", "action_added", "action_done", "closed"]


def test_closed_incident_is_frozen(world):
    incident = _triage(world, _report(world, scenario=Scenario.OTHER))
    manager = _membership(world, "manager")
    services.incident_close(membership=manager, incident=incident, summary="No issue.")
    with pytest.raises(ValidationError):
        services.incident_add_note(membership=manager, incident=incident, text="late note")


def test_future_mofcom_report_date_is_refused(world):
    incident = _triage(world, _report(world))
    with pytest.raises(ValidationError):
        services.incident_record_mofcom_report(
            membership=_membership(world, "manager"),
            incident=incident,
            reported_on=timezone.localdate() + datetime.timedelta(days=1),
            reference="",
            content="x",
        )


def test_staff_report_through_the_page_and_see_only_their_named_reports(world):
    client = world.client("staff")
    response = client.post(
        reverse("icp:incident_report"),
        {
            "title": "Customer asks to split the order",
            "description": "They want parts shipped separately to avoid the licence.",
            "scenario": Scenario.SUSPECTED_VIOLATION,
            "evidence": SimpleUploadedFile("mail.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get(title="Customer asks to split the order")
    assert Document.objects.get().target == incident
    IncidentFactory(organisation=world.organisation, reported_by=world.users["auditor"])
    listing = client.get(reverse("icp:incident_list"))
    assert list(listing.context["object_list"]) == [incident]
    assert client.get(incident.get_absolute_url()).status_code == 200


def test_bad_upload_changes_nothing(world):
    client = world.client("staff")
    client.post(
        reverse("icp:incident_report"),
        {
            "title": "Concern",
            "description": "Details",
            "scenario": Scenario.OTHER,
            "evidence": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03 not a pdf"),
        },
    )
    assert not Incident.objects.exists()
    assert not Document.objects.exists()


def test_manager_works_an_incident_through_the_page(world):
    incident = _report(world)
    plan = ResponsePlanFactory(organisation=world.organisation)
    client = world.client("manager")
    client.post(
        reverse("icp:incident_triage", args=[incident.pk]),
        {
            "severity": "high",
            "scenario": incident.scenario,
            "owner": world.users["manager"].pk,
            "response_plan": plan.pk,
        },
    )
    incident.refresh_from_db()
    assert incident.status == Incident.Status.INVESTIGATING
    assert incident.response_plan == plan
    response = client.get(incident.get_absolute_url())
    assert "Report to MOFCOM" in response.content.decode()


def test_documents_and_comments_on_an_incident(world):
    incident = IncidentFactory(organisation=world.organisation)
    manager = world.client("manager")
    upload_url = reverse("records:document_upload", args=["icp.incident", incident.pk])
    manager.post(upload_url, {"file": SimpleUploadedFile("euc.pdf", PDF_BYTES)})
    document = Document.objects.get()
    assert document.sha256 and document.mime_type == "application/pdf"
    manager.post(
        upload_url, {"file": SimpleUploadedFile("fake.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50)}
    )
    assert Document.objects.count() == 2  # a real PNG named .pdf is stored as PNG
    assert Document.objects.filter(mime_type="image/png").exists()
    manager.post(upload_url, {"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"0" * 60)})
    assert Document.objects.count() == 2

    download = reverse("records:document_download", args=[document.pk])
    assert manager.get(download).status_code == 200
    assert world.client("auditor").get(download).status_code == 200
    assert world.client("staff").get(download).status_code == 403
    assert world.client("outsider").get(download).status_code == 404

    world.client("auditor").post(
        reverse("core:comment_add", args=["icp.incident", incident.pk]), {"body": "Seen."}
    )
    assert Comment.objects.get().author == world.users["auditor"]
    world.client("outsider").post(
        reverse("core:comment_add", args=["icp.incident", incident.pk]), {"body": "x"}
    )
    assert Comment.objects.count() == 1


def test_incident_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    IncidentFactory.create_batch(200, organisation=world.organisation, owner=world.users["manager"])
    client = world.client("manager")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("icp:incident_list"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 25


def test_incident_detail_query_count_does_not_grow(world, django_assert_max_num_queries):
    incident = IncidentFactory(organisation=world.organisation)
    IncidentActionFactory.create_batch(30, incident=incident, owner=world.users["staff"])
    for _ in range(30):
        services.incident_add_note(
            membership=_membership(world, "manager"), incident=incident, text="note"
        )
    client = world.client("manager")
    with django_assert_max_num_queries(25):
        response = client.get(incident.get_absolute_url())
    assert response.status_code == 200


def test_incident_export_as_xlsx_and_csv(world):
    IncidentFactory.create_batch(3, organisation=world.organisation)
    client = world.client("auditor")
    csv_response = client.get(reverse("icp:incident_list") + "?export=csv")
    body = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 4
    xlsx = client.get(reverse("icp:incident_list") + "?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_stop_shipment_puts_every_linked_transaction_on_hold(world, reference):
    from tests.trade.factories_transactions import clean_transaction
    from trade.models import TransactionState

    first = clean_transaction(world, reference="SO-2026-0101")
    second = clean_transaction(world, reference="SO-2026-0102")
    incident = _triage(world, _report(world))
    manager = _membership(world, "manager")
    with pytest.raises(ValidationError, match="Link"):
        services.incident_stop_shipment(membership=manager, incident=incident, reason="x")
    with pytest.raises(ValidationError):
        services.incident_link_transaction(
            membership=manager, incident=incident, reference="SO-NOPE"
        )
    client = world.client("manager")
    for ref in ("so-2026-0101", "SO-2026-0102"):
        client.post(
            reverse("icp:incident_link_transaction", args=[incident.pk]), {"reference": ref}
        )
    assert set(incident.transactions.all()) == {first, second}
    response = client.post(
        reverse("icp:incident_stop_shipment", args=[incident.pk]),
        {"reason": "End use may have changed"},
    )
    assert response.status_code == 302
    for transaction in (first, second):
        transaction.refresh_from_db()
        assert transaction.state == TransactionState.ON_HOLD
    assert incident.events.filter(kind=IncidentEvent.Kind.SHIPMENT_STOPPED).exists()
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "SO-2026-0101" in page


def test_transaction_of_another_organisation_cannot_be_linked(world, reference):
    from trade.services.transaction import transaction_create

    foreign = transaction_create(
        organisation=world.other_organisation,
        user=world.users["outsider"],
        reference="SO-OTHER-1",
        destination_country="DE",
        end_use="x",
    )
    incident = _triage(world, _report(world))
    with pytest.raises(ValidationError):
        services.incident_link_transaction(
            membership=_membership(world, "manager"), incident=incident, reference=foreign.reference
        )
