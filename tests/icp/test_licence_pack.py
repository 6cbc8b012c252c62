"""The general-licence application pack: the job writes the PDF and the Word document with the
period's real figures; the page's form keeps bad input; downloads stay within the organisation."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from core.jobs import job_run
from core.models import Job
from icp.selectors.licence_pack import LICENCE_PACK_JOB_KIND, licence_pack_figures
from icp.services.licence_pack import licence_pack_request

# Transactions are approved only once parties are screened against an imported list.
from tests.screening.conftest import _fresh_index_cache, public_list  # noqa: F401
from tests.trade.factories_transactions import controlled_transaction
from trade.services.transaction import transaction_approve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_list")]


@pytest.fixture
def shipped(world, reference):
    """Two approved transactions drawing 7 and 5 on their licences, to Germany."""
    done = []
    for reference_, quantity, limit in (("SO-2026-0701", 7, 50), ("SO-2026-0702", 5, 60)):
        transaction = controlled_transaction(
            world, reference=reference_, quantity=quantity, licence_limit=Decimal(limit)
        )
        transaction_approve(transaction=transaction, user=world.users["manager"])
        done.append(transaction)
    return done


def _period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=90), today


def test_figures_count_the_period_records(world, shipped):
    start, end = _period()
    figures = licence_pack_figures(organisation=world.organisation, start=start, end=end)
    assert figures.transactions == 2
    assert figures.approved == 2
    assert figures.drawdowns == 2
    assert figures.drawdown_quantity == 12
    assert len(figures.licences) == 2
    assert figures.destinations == [("DE", 2)]
    assert len(figures.end_users) == 2
    assert figures.screenings >= 2
    # A period before the records finds none of them.
    earlier = licence_pack_figures(
        organisation=world.organisation,
        start=start.replace(year=start.year - 2),
        end=start - datetime.timedelta(days=200),
    )
    assert earlier.transactions == 0 and earlier.drawdowns == 0


def _run(world, start, end, language="en"):
    job = licence_pack_request(
        organisation=world.organisation,
        user=world.users["manager"],
        start=start,
        end=end,
        language=language,
    )
    job.refresh_from_db()
    if job.status != Job.Status.SUCCEEDED:
        job_run(job_id=job.pk)
        job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    return job


def test_the_job_writes_both_files_with_the_figures(world, shipped):
    start, end = _period()
    job = _run(world, start, end)
    with job.result_file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    compact = " ".join(text.split())
    assert "reviewed 2 transactions; 2 were approved" in compact
    assert "exports drew on them 2 times, for a total quantity of 12" in compact
    assert "Germany (2)" in compact
    assert "Novatek Automation GmbH SO-2026-0701" in compact
    assert "Article 16, second paragraph, item (3)" in compact
    assert "the Company" in compact
    assert LICENCE_PACK_JOB_KIND not in compact
    client = world.client("executive")
    response = client.get(reverse("icp:licence_pack_download", args=[job.pk, "docx"]))
    assert response.status_code == 200
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    words = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "reviewed 2 transactions" in words
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "12" in cells or "7" in cells


def test_chinese_pack_renders_the_statutory_titles(world, shipped):
    """Needs the compiled catalogue for the Chinese of the new strings; the figures hold anyway."""
    start, end = _period()
    job = _run(world, start, end, language="zh-hans")
    with job.result_file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "12" in text
    assert "Novatek Automation GmbH SO-2026-0702" in text


def test_request_refuses_a_bad_period_and_starts_nothing(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        licence_pack_request(
            organisation=world.organisation,
            user=world.users["manager"],
            start=today,
            end=today - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        licence_pack_request(
            organisation=world.organisation,
            user=world.users["manager"],
            start=today - datetime.timedelta(days=5 * 365),
            end=today,
        )
    assert not Job.objects.filter(kind=LICENCE_PACK_JOB_KIND).exists()


def test_form_errors_keep_what_was_typed(world):
    client = world.client("manager")
    response = client.post(
        reverse("icp:licence_pack_request"),
        {"start": "2026-05-01", "end": "2026-01-01", "language": "zh-hans"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="2026-05-01"' in body and 'value="2026-01-01"' in body
    assert "licence-pack-errors" in body
    assert not Job.objects.filter(kind=LICENCE_PACK_JOB_KIND).exists()


def test_download_stays_within_the_organisation(world, shipped):
    start, end = _period()
    job = _run(world, start, end)
    url = reverse("icp:licence_pack_download", args=[job.pk, "pdf"])
    response = world.client("manager").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("staff").get(url).status_code == 403
    assert world.client("auditor").get(url).status_code == 403


def test_readiness_page_offers_the_pack_to_those_who_may_ask_for_it(world):
    url = reverse("icp:readiness")
    assert "readiness-licence-pack" in world.client("manager").get(url).content.decode()
    assert "readiness-licence-pack" not in world.client("auditor").get(url).content.decode()
    page = world.client("executive").get(reverse("icp:licence_pack_home"))
    assert page.status_code == 200
    assert "licence-pack-form" in page.content.decode()
