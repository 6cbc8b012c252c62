"""The manual reads as the company's controlled document, in one language at a time.

The generated Chinese and English manuals (PDF and Word) are read back as text and checked for
what must never be in them: English words, code identifiers or slugs in the Chinese one; Chinese
in the English one (except people's names); the reference library's research apparatus
(confidence, comparator source codes, research notes). Also: the issue page and the document
control header, the statutory wording of the forms, Chinese citations in numeric order, the
concise edition, and review and approval in the app.

The Chinese assertions on new sentences need the catalogue with /work/fills/h5.json compiled.
"""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.utils import translation
from docx import Document

from accounts.roles import Role
from core.jobs import job_run
from core.models import Job
from icp.models import ManualStatus
from icp.models.training import Course
from icp.selectors.manual import MANUAL_JOB_KIND
from icp.services.manual import manual_approve, manual_generate, manual_review
from icp.services.manual_content import LAW_QUOTES
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.icp.factories_training import CourseFactory
from tests.icp.manual_fixtures import RARE_HOLDER, RARE_NAME, build_programme

pytestmark = pytest.mark.django_db

NAMES = {"manager": "周敏", "executive": "陈立国", "auditor": "孙洁", "staff": "刘洋"}
RESEARCH_MARKERS = (
    "本项目判断",
    "未核实",
    "置信",
    "指南要求",
    "What the guidance asks",
    "confidence",
    "BIS",
    "CNSC",
    "EURF",
    "http",
    "www.",
)
CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
SNAKE_OR_CAMEL = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z][A-Za-z]+\b|\b[a-z]{2,}\.[a-z]{2,}\b")
CHINESE_CITATION = re.compile(
    r"《(出口管制法|两用物项出口管制条例)》第([一二三四五六七八九十百]+)条"
)
NUMERALS = dict(zip("一二三四五六七八九", range(1, 10), strict=True))


def _chinese_number(text: str) -> int:
    """第二十七条 -> 27 (up to 99)."""
    if "十" not in text:
        return NUMERALS[text]
    tens, _, ones = text.partition("十")
    return (NUMERALS[tens] if tens else 1) * 10 + (NUMERALS[ones] if ones else 0)


def _law_dir() -> Path | None:
    base = Path(settings.BASE_DIR)
    for candidate in (base.parent / "shared", base.parent.parent / "shared"):
        if (candidate / "reference/law").is_dir():
            return candidate / "reference/law"
    return None


def _pdftotext(path: str) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, check=True, text=True
    ).stdout


def _pdf_raw(path: str) -> str:
    """The text in reading order (no layout): a table cell's lines stay together."""
    return subprocess.run(
        ["pdftotext", path, "-"], capture_output=True, check=True, text=True
    ).stdout


def _flat(text: str) -> str:
    """Text for containment checks: no white space or hyphens (lines wrap differently in each
    language's layout), every digit the same (revision numbers and page counts differ)."""
    return re.sub(r"\d", "0", re.sub(r"[\s\-\u00ad]+", "", text))


CJK_RUN = re.compile(r"[\u3400-\u9fff][^\sA-Za-z]*")


def _pieces(text: str):
    """The pieces of a bilingual Word text: lines, split again where the writer joins the
    Chinese and the English (" / "), where a line pairs labels (" · ") and where the page
    header's tab stops part its left and right halves."""
    for line in text.splitlines():
        for part in re.split(r" / | · |\t|\s{2,}", line):
            part = part.strip()
            if part:
                yield part


def _docx_text(version) -> str:
    with version.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(parts)


@pytest.fixture
def programme(world, reference):
    for persona, name in NAMES.items():
        world.users[persona].full_name = name
        world.users[persona].save(update_fields=["full_name"])
    return build_programme(world)


def _people() -> set[str]:
    return {*NAMES.values(), RARE_NAME, RARE_HOLDER}


def test_quotations_of_the_law_are_verbatim():
    law = _law_dir()
    if law is None:
        pytest.skip("the law texts (../shared/reference/law/) are not next to this checkout")
    for key, (filename, quotation) in LAW_QUOTES.items():
        text = re.sub(r"\s+", "", (law / filename).read_text(encoding="utf-8"))
        assert re.sub(r"\s+", "", quotation) in text, key


def test_chinese_and_english_manuals_read_as_the_companys_controlled_document(world, programme):
    manager = world.users["manager"]
    # One revision reason for all (the bilingual one is compared with the other two below).
    zh = manual_generate(
        organisation=world.organisation,
        language="zh-hans",
        requested_by=manager,
        reason="annual_review",
    )
    en = manual_generate(organisation=world.organisation, language="en", requested_by=manager)
    zh_pdf, en_pdf = _pdftotext(zh.pdf.path), _pdftotext(en.pdf.path)
    zh_docx, en_docx = _docx_text(zh), _docx_text(en)
    document_number = zh.document_number

    for name, text in (("zh pdf", zh_pdf), ("zh docx", zh_docx)):
        cleaned = text.replace(document_number, "")
        english = sorted(set(ENGLISH_WORD.findall(cleaned)))
        assert not english, f"{name}: English words {english[:20]}"
        assert not SNAKE_OR_CAMEL.findall(text), name
        assert world.organisation.slug not in text.lower(), name
        for marker in RESEARCH_MARKERS:
            assert marker not in text, f"{name}: {marker}"
    for name, text in (("en pdf", en_pdf), ("en docx", en_docx)):
        cleaned = text
        for person in _people():
            cleaned = cleaned.replace(person, "")
        chinese = [line.strip() for line in cleaned.splitlines() if CJK.search(line)]
        assert not chinese, f"{name}: Chinese rows {chinese[:5]}"
        assert not SNAKE_OR_CAMEL.findall(text), name
        for marker in RESEARCH_MARKERS:
            assert marker not in text, f"{name}: {marker}"

    # The bilingual manual is the Chinese manual with the English one beside it: its Chinese
    # runs are Chinese-manual text (which obeys the Chinese rules above), its English words
    # English-manual text; nothing else (identifiers, research markers) gets in.
    bilingual = manual_generate(
        organisation=world.organisation, language="bilingual", requested_by=manager
    )
    bi_pdf, bi_docx = _pdf_raw(bilingual.pdf.path), _docx_text(bilingual)
    references = {
        "bilingual pdf": (bi_pdf, _flat(_pdf_raw(zh.pdf.path)), _flat(_pdf_raw(en.pdf.path))),
        "bilingual docx": (bi_docx, _flat(zh_docx), _flat(en_docx)),
    }
    for name, (text, zh_reference, en_reference) in references.items():
        assert not SNAKE_OR_CAMEL.findall(text), name
        names_left_out = re.sub(r"\s+", " ", text).replace(world.organisation.name_en, "")
        assert world.organisation.slug not in names_left_out.lower(), name
        for marker in RESEARCH_MARKERS:
            assert marker not in text, f"{name}: {marker}"
        foreign = sorted({run for run in CJK_RUN.findall(text) if _flat(run) not in zh_reference})
        assert not foreign, f"{name}: Chinese not from the Chinese manual {foreign[:10]}"
        words = sorted({w for w in ENGLISH_WORD.findall(text) if _flat(w) not in en_reference})
        assert not words, f"{name}: English not from the English manual {words[:20]}"
    # In Word each Chinese piece stands apart from its English: no English inside it.
    people_free = bi_docx
    for person in _people():
        people_free = people_free.replace(person, "")
    for piece in _pieces(people_free):
        if CJK.search(piece):
            english = ENGLISH_WORD.findall(piece.replace(document_number, ""))
            assert not english, f"bilingual docx: English inside a Chinese piece {piece!r}"
    assert "附录 D 表单\nAppendix D Forms" in bi_docx  # number and title in each language

    # The issue page with the three roles, and document control on every page but the cover.
    assert "Issue order" in en_pdf and "Prepared by" in en_pdf and "Approved by" in en_pdf
    assert NAMES["manager"] in en_pdf
    pages = en_pdf.split("\f")[:-1]
    header = f"Document number {document_number} · Revision {en.number} · Controlled document"
    assert all(header in page for page in pages[1:]), "header missing on a page"
    assert header in en_docx
    assert "发布令" in zh_pdf and "编制人" in zh_pdf and "批准人" in zh_pdf
    assert f"文件编号 {document_number} · 第{zh.number}版 · 受控文件" in zh_pdf

    # Company rules, not live figures: no coverage percentages or risk scores.
    assert "The company" in en_pdf or "the company" in en_pdf
    assert "本公司" in zh_pdf
    for live in (
        "per cent of the members",
        "Heat map",
        "Coverage",
        "Inherent",
        "Result of the last",
    ):
        assert live not in en_pdf, live

    # The forms: the end user's statutory undertaking, the importer and intermediate consignee
    # block, the government-issued option; the licence decision's five outcomes.
    for quotation in (LAW_QUOTES[("ECL", 16)][1], LAW_QUOTES[("REGS", 24)][1]):
        assert quotation[:30] in re.sub(r"\s+", "", zh_docx)
    for expected in (
        "Importer (if not the end user)",
        "Intermediate consignees",
        "issued or authenticated by a government body",
        "single licence",
        "export voucher",
        "Not listed but subject to catch-all control",
        "Export prohibited",
        "Classification parameter sheet",
        "End-user due-diligence questionnaire",
        "protection against retaliation",
    ):
        assert expected in en_docx, expected
    for expected in ("出口凭证", "清单外但适用兜底管控", "禁止出口", "最终用户尽职调查问卷"):
        assert expected in zh_docx, expected

    # Chinese citations throughout; the quoted provisions in numeric order within each law.
    citations = CHINESE_CITATION.findall(zh_docx)
    assert citations
    assert "Art." not in zh_docx and "REGS" not in zh_docx
    # Appendix C of the PDF (the contents name it first, so the last mention is inside it).
    start = zh_pdf.rindex("引用的法律条文")
    appendix = zh_pdf[start : zh_pdf.index("附录 D", start)]
    for law in ("出口管制法", "两用物项出口管制条例"):
        numbers = [
            _chinese_number(n) for name, n in CHINESE_CITATION.findall(appendix) if name == law
        ]
        assert numbers, law
        assert numbers == sorted(numbers), (law, numbers)


def test_concise_edition_keeps_the_rules_and_forms(world, programme):
    version = manual_generate(
        organisation=world.organisation, language="en", edition="concise", document_number="QM-07"
    )
    text = _pdftotext(version.pdf.path)
    assert version.page_count <= 20
    assert "Concise edition" in text and "Document number QM-07" in text
    assert (
        "Responsibilities by business node" in text and "End-user and end-use certificate" in text
    )
    assert "Appendix A" not in text and "Position descriptions" not in text


def test_request_refuses_a_bad_document_number_and_keeps_the_input(world, programme):
    client = world.client("manager")
    response = client.post(
        "/manual/new/",
        {"language": "zh-hans", "edition": "concise", "document_number": "ECP 01 <x>"},
    )
    assert response.status_code == 200
    assert not Job.objects.filter(kind=MANUAL_JOB_KIND).exists()
    page = response.content.decode()
    assert 'value="ECP 01 &lt;x&gt;"' in page
    assert 'id="edition-concise" value="concise" checked' in page
    assert "A document number has at most 40 letters" in page


def test_review_and_approval_issue_the_controlled_copy(world, programme):
    manager, executive = world.users["manager"], world.users["executive"]
    draft = manual_generate(
        organisation=world.organisation, language="en", requested_by=manager, edition="concise"
    )
    assert draft.status == ManualStatus.DRAFT
    assert "Draft for review and approval" in _pdftotext(draft.pdf.path)
    # The preparer does not review their own draft; nothing is approved before review.
    with pytest.raises(ValidationError):
        manual_review(version=draft, user=manager)
    with pytest.raises(ValidationError):
        manual_approve(version=draft, user=executive)

    reviewer = world.users["outsider"]  # a compliance manager, but of another organisation
    with pytest.raises(PermissionDenied):
        manual_review(version=draft, user=reviewer)
    second_manager = MembershipFactory(
        organisation=world.organisation,
        role=Role.COMPLIANCE_MANAGER,
        user=UserFactory(email="li@acme.test", full_name="李静"),
    ).user
    reviewed = manual_review(version=draft, user=second_manager)
    assert reviewed.status == ManualStatus.REVIEWED

    job = manual_approve(version=reviewed, user=executive)
    if job.status != Job.Status.SUCCEEDED:
        job_run(job_id=job.pk)
    job_run(job_id=job.pk)  # a rerun changes nothing
    reviewed.refresh_from_db()
    assert reviewed.status == ManualStatus.APPROVED and reviewed.issued_at is not None
    text = _pdftotext(reviewed.pdf.path)
    assert "Draft for review and approval" not in text
    for name in (NAMES["manager"], "李静", NAMES["executive"]):
        assert name in text
    assert reviewed.history.filter(status=ManualStatus.APPROVED).exists()


def test_approval_is_refused_when_the_records_changed_after_the_draft(world, programme):
    draft = manual_generate(
        organisation=world.organisation,
        language="en",
        requested_by=world.users["executive"],
        edition="concise",
    )
    manual_review(version=draft, user=world.users["manager"])
    CourseFactory(organisation=world.organisation)
    with pytest.raises(PermissionDenied):
        manual_approve(version=draft, user=world.users["auditor"])  # not management
    approver = MembershipFactory(
        organisation=world.organisation, role=Role.MANAGEMENT, user=UserFactory()
    ).user
    with pytest.raises(ValidationError) as error:
        manual_approve(version=draft, user=approver)
    assert error.value.code == "stale"


# ---- the punctuation of a list in the manual -------------------------------------------------


def test_a_courses_audience_is_a_list_in_the_manuals_punctuation(world, programme):
    """The training functions of a course (labels without commas) are a list: "销售、物流与报关"
    in the Chinese manual, "Sales, Logistics and customs" in the English one, in the PDF and in
    Word alike (never "销售; 物流与报关")."""
    course = Course.objects.get(organisation=world.organisation)
    course.audience = ["sales", "logistics"]
    course.save(update_fields=["audience"])
    manager = world.users["manager"]
    zh = manual_generate(organisation=world.organisation, language="zh-hans", requested_by=manager)
    en = manual_generate(organisation=world.organisation, language="en", requested_by=manager)
    for name, text in (("zh pdf", _pdf_raw(zh.pdf.path)), ("zh docx", _docx_text(zh))):
        assert "销售、物流与报关" in _flat(text), name
        assert "销售;" not in text and "销售；" not in text, name
    for name, text in (("en pdf", _pdf_raw(en.pdf.path)), ("en docx", _docx_text(en))):
        assert _flat("Sales, Logistics and customs") in _flat(text), name


@pytest.mark.parametrize(
    ("mode", "language", "expected"),
    [
        ("zh", "zh-hans", "销售、物流与报关"),
        ("en", "en", "Sales, Logistics and customs"),
        (
            "bilingual",
            "zh-hans",
            '销售、物流与报关<span class="en" lang="en">Sales, Logistics and customs</span>',
        ),
    ],
)
def test_the_audience_tag_writes_the_list_separator_of_each_language(mode, language, expected):
    course = Course(audience=["sales", "logistics"])
    with translation.override(language):
        rendered = Template("{% load manual_tags %}{% audience course %}").render(
            Context({"manual_mode": mode, "course": course})
        )
    assert rendered == expected
