"""Inspection bundles: the ZIP opens, its index PDF reads, and every hash verifies."""

import hashlib
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from core.models import Job
from records.models import EventLogEntry
from records.services import holds as hold_services
from records.services.bundles import bundle_build, bundle_verify
from records.services.retention import retention_refresh
from tests.icp.factories_emergency import IncidentFactory
from tests.records.factories import attach
from tests.trade.factories_transactions import controlled_transaction, walk_paths
from trade.services.transaction import transaction_approve

pytestmark = pytest.mark.usefixtures("reference", "public_list")


def _zip(content):
    return zipfile.ZipFile(io.BytesIO(content))


def _pdf_text(content) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_transaction_bundle_holds_its_evidence_and_verifies(world):
    transaction = controlled_transaction(world, reference="SO-2025-0042")
    transaction_approve(transaction=transaction, user=world.users["manager"], note="Licence covers")
    contract = attach(
        organisation=world.organisation,
        user=world.users["manager"],
        target=transaction,
        name="contract.pdf",
        document_type="contract",
    )
    name, archive_file, summary = bundle_build(
        organisation=world.organisation,
        user=world.users["auditor"],
        scope="transaction",
        params={"transaction": transaction.pk},
        language="en",
    )
    content = archive_file.read()
    assert name.endswith(".zip") and summary["records"] == 1
    assert bundle_verify(content) == []
    archive = _zip(content)
    manifest = json.loads(archive.read("manifest.json"))
    by_name = {entry.get("original_name"): entry for entry in manifest["files"]}
    # The original bytes, with the SHA-256 recorded at upload.
    assert by_name["contract.pdf"]["sha256"] == contract.sha256
    assert (
        hashlib.sha256(archive.read(by_name["contract.pdf"]["path"])).hexdigest() == contract.sha256
    )
    assert "euc.pdf" in by_name
    text = _pdf_text(archive.read("index.pdf"))
    for expected in (
        "SO-2025-0042",
        "Screening evidence",
        "CN-UEL",
        "Red-flag answers",
        "Items and classification",
        "3C004.a",
        "Licence",
        "Approvals and decisions",
        world.users["manager"].full_name.split()[0],
    ):
        assert expected in text, expected
    assert EventLogEntry.objects.filter(action="export", record_type="records.bundle").exists()


def test_a_tampered_bundle_fails_verification(world):
    incident = IncidentFactory(organisation=world.organisation, title="Customs query")
    attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    retention_refresh(organisation=world.organisation)
    from records.models import RetainedRecord

    record = RetainedRecord.objects.get(record_type="icp.incident")
    hold = hold_services.hold_place(
        membership=world.users["manager"].memberships.get(),
        kind="customs_challenge",
        reference="海关稽查 2026-3",
        title="Customs audit",
        items=[record],
    )
    _name, archive_file, _summary = bundle_build(
        organisation=world.organisation,
        user=world.users["manager"],
        scope="hold",
        params={"hold": hold.pk},
        language="zh-hans",
    )
    content = archive_file.read()
    assert bundle_verify(content) == []
    source = _zip(content)
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("records/"):
                data = data + b"tampered"
            target.writestr(info.filename, data)
    problems = bundle_verify(forged.getvalue())
    assert any(problem.startswith("hash mismatch: records/") for problem in problems)


def test_the_bundle_job_runs_with_progress_and_downloads(world, django_capture_on_commit_callbacks):
    transaction = controlled_transaction(world, reference="SO-2025-0077")
    client = world.client("auditor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("records:bundle_create"),
            {"scope": "transaction", "transaction": "SO-2025-0077", "language": "zh-hans"},
        )
    job = Job.objects.get(kind="records.bundle")
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert job.params["transaction"] == transaction.pk
    download = client.get(job.result_url)
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == job.result_sha256
    assert bundle_verify(content) == []
    # Staff, and other organisations, cannot fetch it.
    assert world.client("staff").get(job.result_url).status_code == 403
    assert world.client("outsider").get(job.result_url).status_code == 404


def test_the_same_file_attached_twice_is_one_member_listed_once(world):
    transaction = controlled_transaction(world, reference="SO-2025-0043")
    for _ in range(2):
        attach(
            organisation=world.organisation,
            user=world.users["manager"],
            target=transaction,
            name="contract.pdf",
            document_type="contract",
        )
    _name, archive_file, _summary = bundle_build(
        organisation=world.organisation,
        user=world.users["auditor"],
        scope="transaction",
        params={"transaction": transaction.pk},
        language="en",
    )
    content = archive_file.read()
    archive = _zip(content)
    names = archive.namelist()
    assert len(names) == len(set(names))
    paths = [entry["path"] for entry in json.loads(archive.read("manifest.json"))["files"]]
    assert len(paths) == len(set(paths))
    assert (
        sum(
            entry.get("original_name") == "contract.pdf"
            for entry in json.loads(archive.read("manifest.json"))["files"]
        )
        == 1
    )
    cover = _pdf_text(archive.read("index.pdf"))
    for expected in ("Scope", "One transaction", "SO-2025-0043", "Contents"):
        assert expected in cover, expected
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert len(sums) == len(set(sums))
    assert bundle_verify(content) == []


def test_an_empty_bundle_warns_before_it_is_built(world, django_capture_on_commit_callbacks):
    client = world.client("auditor")
    post = {"scope": "period", "start": "2001-01-01", "end": "2001-12-31", "language": "en"}
    response = client.post(reverse("records:bundle_create"), post)
    assert response.status_code == 200
    assert "the bundle would hold no records" in response.content.decode()
    assert 'name="confirm_empty"' in response.content.decode()
    assert not Job.objects.filter(kind="records.bundle").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("records:bundle_create"), {**post, "confirm_empty": "1"})
    assert response.status_code == 302
    assert Job.objects.filter(kind="records.bundle").count() == 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_bundle_cites_the_legal_basis_in_the_reader_s_language(world, language):
    transaction = controlled_transaction(world, reference="SO-2025-0043")
    if not transaction.licence_paths.exists():
        walk_paths(transaction, world.users["manager"])
    path = transaction.licence_paths.exclude(basis=[]).first()
    assert path is not None and path.basis[0].startswith("《")  # stored in its Chinese form
    _name, archive_file, _summary = bundle_build(
        organisation=world.organisation,
        user=world.users["auditor"],
        scope="transaction",
        params={"transaction": transaction.pk},
        language=language,
    )
    text = re.sub(r"\s+", "", _pdf_text(_zip(archive_file.read()).read("index.pdf")))
    with translation.override(language):
        cited = re.sub(r"\s+", "", path.basis_display)
    assert cited in text
    if language == "en":
        assert "《" not in text
