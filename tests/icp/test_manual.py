"""E9 ICP manual: generation (content, numbering, idempotent retry), stale detection, downloads,
the Word document, and the PDF's text and fonts in Chinese, English and both."""

import datetime
import io
import logging
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from core.jobs import job_run
from core.models import Job
from icp.models import ManualVersion
from icp.selectors.manual import (
    MANUAL_JOB_KIND,
    manual_data,
    manual_is_stale,
    manual_latest,
    programme_changed_at,
)
from icp.services.manual import manual_generate, manual_request
from tests.icp.factories_training import CourseFactory
from tests.icp.manual_fixtures import RARE_HOLDER, RARE_NAME, build_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(world, reference):
    return build_programme(world)


def _pdf_text(version: ManualVersion) -> str:
    with version.pdf.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(handle).pages)


def _pdftotext(version: ManualVersion) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", version.pdf.path, "-"], capture_output=True, check=True, text=True
    ).stdout


def test_chinese_manual_shows_every_chapter_with_the_programme_data(world, programme):
    version = manual_generate(
        organisation=world.organisation, language="zh-hans", requested_by=world.users["manager"]
    )
    assert version.number == 1
    assert version.page_count > 10
    assert version.policy_version == programme
    assert len(version.pdf_sha256) == 64
    text = _pdf_text(version)
    for chapter in (
        "合规政策声明",
        "合规组织机构",
        "风险评估",
        "交易审查",
        "应急措施",
        "教育培训",
        "合规审计",
        "资料档案保存",
        "附录 A",
        "风险警示信号问题",
        "附录 B",
        "最终用户和最终用途证明",
        "事件报告表",
    ):
        assert chapter in text, chapter
    # Real data from each element, and rare name characters in the bundled font.
    for value in (
        "合法合规优先于商业利益",
        "出口管制合规委员会",
        "出口管制合规专员",
        "中间商转运风险",
        "最终用途变更应急预案",
        "红旗信号识别培训",
        RARE_NAME,
        RARE_HOLDER,
    ):
        assert value in text, value


def test_pdf_embeds_only_the_bundled_fonts(world, programme):
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    version = manual_generate(organisation=world.organisation, language="bilingual")
    fonts = subprocess.run(
        ["pdffonts", version.pdf.path], capture_output=True, check=True, text=True
    ).stdout
    rows = [row.split() for row in fonts.splitlines()[2:] if row.strip()]
    names = {row[0].split("+", 1)[-1] for row in rows}
    assert "ICP-CJK" in names and "ICP-CJK-Bold" in names
    # Only the bundled fonts, all embedded: no system font filled in a missing glyph.
    assert all(name.startswith("ICP-") for name in names), names
    assert all(row[-5] == "yes" for row in rows)


def test_english_manual_reads_in_english(world, programme):
    version = manual_generate(organisation=world.organisation, language="en")
    text = _pdftotext(version)
    for expected in (
        "Compliance policy statement",
        "Risk assessment",
        "Transaction review",
        "Appendix A",
        "Legality first",
        "Diversion through intermediaries",
        "Recognising red flags",
        "Page 3 of",
    ):
        assert expected in text, expected


def test_bilingual_manual_has_both_languages(world, programme):
    version = manual_generate(organisation=world.organisation, language="bilingual")
    chinese = _pdf_text(version)
    english = _pdftotext(version)
    assert "合法合规优先于商业利益" in chinese
    assert "Legality first" in english
    assert "Recognising red flags" in english and "红旗信号识别培训" in chinese


def test_versions_are_numbered_per_organisation_and_kept(world, programme):
    first = manual_generate(organisation=world.organisation, language="zh-hans")
    second = manual_generate(organisation=world.organisation, language="en")
    other = manual_generate(organisation=world.other_organisation, language="zh-hans")
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert manual_latest(organisation=world.organisation) == second
    assert ManualVersion.objects.for_organisation(world.organisation).count() == 2
    # The revision history of the next version lists the earlier ones.
    data = manual_data(organisation=world.organisation)
    assert [revision.number for revision in data.revisions] == [1, 2]


def test_a_manual_without_programme_data_has_no_broken_contents_links(world, reference, caplog):
    """Every entry of the contents points at a heading that exists, data or not."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        version = manual_generate(organisation=world.organisation, language="en")
    assert version.page_count > 5
    assert not [record.getMessage() for record in caplog.records if "anchor" in record.getMessage()]


def test_unknown_language_is_refused(world):
    with pytest.raises(ValidationError):
        manual_request(organisation=world.organisation, user=world.users["manager"], language="fr")


def test_job_generates_one_artefact_and_a_rerun_changes_nothing(world, programme):
    job = manual_request(
        organisation=world.organisation, user=world.users["executive"], language="zh-hans"
    )
    job.refresh_from_db()  # eager Celery ran it on commit... or not, in a test transaction
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    version = ManualVersion.objects.get(job=job)
    assert version.requested_by == world.users["executive"]
    assert job.result_url == reverse("icp:manual_download", args=[version.pk, "pdf"])
    # A redelivered message for the finished job does nothing.
    job_run(job_id=job.pk)
    assert ManualVersion.objects.filter(organisation=world.organisation).count() == 1


def test_a_job_whose_worker_died_after_saving_is_completed_with_the_same_artefact(
    world, programme, monkeypatch
):
    """The worker saved the version, then died before marking the job finished: the broker
    redelivers (acks_late), the claim takes the running job again, and no second version is
    made."""
    job = Job.objects.create(
        kind=MANUAL_JOB_KIND,
        organisation=world.organisation,
        created_by=world.users["manager"],
        params={"language": "en"},
    )
    saved = manual_generate(organisation=world.organisation, language="en", job=job)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1)

    def must_not_render(**kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr("icp.services.manual.versions.manual_render", must_not_render)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert list(ManualVersion.objects.filter(job=job)) == [saved]
    assert job.result["number"] == saved.number


def test_a_job_killed_mid_render_is_retried_and_makes_exactly_one_version(
    world, programme, monkeypatch
):
    import icp.services.manual.versions as service

    job = Job.objects.create(
        kind=MANUAL_JOB_KIND,
        organisation=world.organisation,
        created_by=world.users["manager"],
        params={"language": "zh-hans"},
    )
    real_render = service.manual_render
    calls = []

    def dies_first_time(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise SystemExit("worker killed")  # not an Exception: nothing records a failure
        return real_render(**kwargs)

    monkeypatch.setattr(service, "manual_render", dies_first_time)
    with pytest.raises(SystemExit):
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and ManualVersion.objects.count() == 0
    job_run(job_id=job.pk)  # redelivered while the heartbeat is fresh: a live worker may hold it
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.attempts == 1
    # The dead worker's heartbeat goes stale; the redelivered message then takes the job over.
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert ManualVersion.objects.filter(job=job).count() == 1


def test_a_failed_job_records_its_error(world, programme, monkeypatch):
    def broken(**kwargs):
        raise ValueError("template broke")

    monkeypatch.setattr("icp.services.manual.versions.manual_render", broken)
    job = Job.objects.create(
        kind=MANUAL_JOB_KIND, organisation=world.organisation, params={"language": "en"}
    )
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "template broke" in job.error
    assert ManualVersion.objects.count() == 0


def test_stale_when_the_programme_changes_after_the_latest_version(
    world, programme, django_assert_max_num_queries
):
    organisation = world.organisation
    assert manual_is_stale(organisation=organisation, manual=None)
    version = manual_generate(organisation=organisation, language="zh-hans")
    with django_assert_max_num_queries(1):
        assert not manual_is_stale(organisation=organisation, manual=version)
    CourseFactory(organisation=organisation, topic_zh="新课程")
    assert manual_is_stale(organisation=organisation, manual=version)
    # Another organisation's changes do not make ours stale.
    newer = manual_generate(organisation=organisation, language="zh-hans")
    CourseFactory(organisation=world.other_organisation)
    assert not manual_is_stale(organisation=organisation, manual=newer)
    assert programme_changed_at(organisation=organisation) <= newer.data_as_of


def test_a_deleted_record_makes_the_manual_stale(world, programme):
    course = CourseFactory(organisation=world.organisation)
    version = manual_generate(organisation=world.organisation, language="en")
    course.delete()
    assert manual_is_stale(organisation=world.organisation, manual=version)


def test_data_collection_takes_a_fixed_number_of_queries(
    world, programme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25) as small:
        manual_data(organisation=world.organisation)
    for _n in range(30):
        CourseFactory(organisation=world.organisation)
    with django_assert_max_num_queries(len(small.captured_queries)):
        manual_data(organisation=world.organisation)


def test_docx_opens_and_contains_the_chapters(world, programme):
    version = manual_generate(organisation=world.organisation, language="zh-hans")
    with version.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert any("合规政策" in heading for heading in headings)
    assert any("风险评估" in heading for heading in headings)
    assert any("附录" in heading for heading in headings)
    assert "合法合规优先于商业利益" in text
    assert RARE_HOLDER in text
    assert "中间商转运风险" in text


def test_home_page_shows_versions_and_the_stale_badge(world, programme):
    version = manual_generate(organisation=world.organisation, language="zh-hans")
    client = world.client("executive")
    page = client.get(reverse("icp:manual_home")).content.decode()
    assert 'data-testid="manual-current"' in page and version.pdf_url in page
    CourseFactory(organisation=world.organisation)
    page = client.get(reverse("icp:manual_home")).content.decode()
    assert 'data-testid="manual-stale"' in page
    # All three languages are offered (the site's language switcher must not shadow them).
    for language in ("zh-hans", "en", "bilingual"):
        assert f'id="language-{language}"' in page
    # The full edition and the concise one (rules and forms only) are offered side by side.
    assert 'id="edition-full"' in page and 'id="edition-concise"' in page
    # The cover's organisation details are one click away.
    assert f'href="{reverse("accounts:organisation_profile")}"' in page
    # Auditors read and download, but do not ask for versions.
    page = world.client("auditor").get(reverse("icp:manual_home")).content.decode()
    assert "manual-request-form" not in page


def test_request_view_starts_a_job_and_download_returns_the_pdf(world, programme):
    client = world.client("executive")
    response = client.post(reverse("icp:manual_request"), {"language": "en"})
    assert response.status_code == 302
    job = Job.objects.get(kind=MANUAL_JOB_KIND, organisation=world.organisation)
    if job.status != Job.Status.SUCCEEDED:
        job_run(job_id=job.pk)
    version = ManualVersion.objects.get(job=job)
    response = world.client("auditor").get(version.pdf_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "icp-manual-acme-v1-en.pdf" in response["Content-Disposition"]
    assert world.client("staff").get(version.pdf_url).status_code == 403
    assert world.client("outsider").get(version.pdf_url).status_code == 404
