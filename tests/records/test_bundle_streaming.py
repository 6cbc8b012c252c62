"""A large inspection bundle is written to a temporary file and saved to the storage in chunks:
the job never holds the whole archive (nor every document) in memory."""

import hashlib
import os
import tracemalloc

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage

import core.pdf
from core.jobs import job_enqueue
from core.models import Job
from records.services.bundles import archive as bundle_archive
from records.services.bundles import bundle_verify
from tests.records.factories import PDF_BYTES, attach
from tests.trade.factories_transactions import controlled_transaction
from trade.services.transaction import transaction_approve

pytestmark = pytest.mark.usefixtures("reference", "public_list")

DOCUMENTS = 8
DOCUMENT_BYTES = 1024 * 1024


def test_the_bundle_job_streams_the_archive_to_the_storage(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    transaction = controlled_transaction(world, reference="SO-2026-0100")
    transaction_approve(transaction=transaction, user=world.users["manager"], note="Covered")
    # Scans that do not compress: the archive is about as large as the documents.
    documents = [
        attach(
            organisation=world.organisation,
            user=world.users["manager"],
            target=transaction,
            name=f"scan-{n}.pdf",
            content=PDF_BYTES + os.urandom(DOCUMENT_BYTES),
            document_type="contract",
        )
        for n in range(DOCUMENTS)
    ]
    total = sum(document.size for document in documents)
    # Small buffers, so the bound below is far from what the archive itself weighs; the index
    # PDF (WeasyPrint's own memory) is not what this measures.
    monkeypatch.setattr(bundle_archive, "SPOOL_BYTES", 256 * 1024)
    monkeypatch.setattr(bundle_archive, "CHUNK_BYTES", 64 * 1024)
    monkeypatch.setattr(core.pdf, "render_pdf", lambda *args, **kwargs: PDF_BYTES)
    received = []
    save = Storage.save

    def spy(storage, name, content, *args, **kwargs):
        if name.startswith("jobs/"):  # the job's result file
            received.append(content)
        return save(storage, name, content, *args, **kwargs)

    monkeypatch.setattr(Storage, "save", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(
            kind="records.bundle",
            organisation=world.organisation,
            created_by=world.users["auditor"],
            params={"scope": "transaction", "transaction": transaction.pk, "language": "en"},
        )
    tracemalloc.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for callback in callbacks:
                callback()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    # The storage received an open file to read in chunks (closed once saved), not bytes.
    [content] = received
    assert isinstance(content, File) and not isinstance(content, ContentFile) and content.closed
    with job.result_file.open("rb") as handle:
        archive = handle.read()
    assert len(archive) > total and bundle_verify(archive) == []
    assert hashlib.sha256(archive).hexdigest() == job.result_sha256
    # Holding the archive, or every document, would need at least `total` bytes.
    assert peak < total / 4, (peak, total)
