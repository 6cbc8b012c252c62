"""The evidence of a report after shipment (REGS Art. 18(1)) is filed on the report itself: shown
with the report on the transaction page, uploaded by compliance managers only, and carried into
the inspection bundle with the report's row."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from records.models import Document
from records.services.bundles import bundle_build, bundle_verify
from tests.trade.factories_transactions import PDF_BYTES, controlled_transaction
from trade.models import Licence
from trade.services.licence import post_shipment_duty_complete
from trade.services.transaction import transaction_approve, transaction_mark_shipped

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference", "public_list")]


@pytest.fixture
def shipped(world):
    transaction = controlled_transaction(world, reference="SO-ART18-EV")
    Licence.objects.filter(pk=transaction.licence_id).update(
        report_duties=["arrival", "installation"], report_within_days=30
    )
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction.refresh_from_db()
    transaction_mark_shipped(
        transaction=transaction, user=world.users["manager"], shipped_on=timezone.localdate()
    )
    return transaction


def _upload_url(duty):
    return reverse("records:document_upload", args=["trade.postshipmentduty", duty.pk])


def _post(client, duty, name="arrival-receipt.pdf"):
    return client.post(
        _upload_url(duty),
        {
            "file": SimpleUploadedFile(name, PDF_BYTES + name.encode()),
            "document_type": "report",
            "description": "MOFCOM platform receipt",
        },
    )


def test_a_manager_files_the_evidence_on_the_report_and_the_page_shows_it(world, shipped):
    arrival = shipped.post_shipment_duties.get(kind="arrival")
    installation = shipped.post_shipment_duties.get(kind="installation")
    client = world.client("manager")
    response = _post(client, arrival)
    assert response.status_code == 302
    assert response.url == shipped.get_absolute_url() + f"#report-{arrival.pk}"
    document = Document.objects.get(original_name="arrival-receipt.pdf")
    assert document.target == arrival and document.sha256

    page = client.get(shipped.get_absolute_url()).content.decode()
    # Arrival is listed first (same due date, created first); its block ends where the next begins.
    report_block = page.split(f'id="report-{arrival.pk}"', 1)[1]
    report_block = report_block.split(f'id="report-{installation.pk}"', 1)[0]
    assert "arrival-receipt.pdf" in report_block
    assert f'id="report-{arrival.pk}-documents"' in page
    # The other report has its own, empty, evidence list and upload form.
    assert f'action="{_upload_url(installation)}"' in page


@pytest.mark.parametrize("persona", ["staff", "auditor", "executive", "outsider"])
def test_only_the_organisations_compliance_managers_file_evidence(world, shipped, persona):
    duty = shipped.post_shipment_duties.first()
    response = _post(world.client(persona), duty)
    assert response.status_code in (403, 404)
    assert not Document.objects.filter(original_name="arrival-receipt.pdf").exists()


def test_a_staff_member_sees_the_evidence_without_an_upload_form(world, shipped):
    duty = shipped.post_shipment_duties.get(kind="arrival")
    _post(world.client("manager"), duty)
    page = world.client("staff").get(shipped.get_absolute_url()).content.decode()
    assert "arrival-receipt.pdf" in page
    assert f'action="{_upload_url(duty)}"' not in page


def test_the_bundle_holds_the_reports_and_their_evidence(world, shipped):
    duty = shipped.post_shipment_duties.get(kind="arrival")
    _post(world.client("manager"), duty)
    post_shipment_duty_complete(
        duty=duty,
        user=world.users["manager"],
        evidence_note="Arrival reported to MOFCOM on the platform on the day of delivery.",
    )
    _name, archive_file, _summary = bundle_build(
        organisation=world.organisation,
        user=world.users["auditor"],
        scope="transaction",
        params={"transaction": shipped.pk},
        language="en",
    )
    content = archive_file.read()
    assert bundle_verify(content) == []
    archive = zipfile.ZipFile(io.BytesIO(content))
    manifest = json.loads(archive.read("manifest.json"))
    assert "arrival-receipt.pdf" in {entry.get("original_name") for entry in manifest["files"]}
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(archive.read("index.pdf"))).pages
    )
    assert "Reports after shipment" in text
    assert "Arrival reported to MOFCOM" in text
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert due in text
