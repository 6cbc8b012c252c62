"""The PDF pipeline: real WeasyPrint renders of templates/pdf/specimen.html in Chinese and English,
read back with pypdf and poppler (pdffonts, pdftoppm), and the local-only URL fetcher."""

import io
import logging
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from core.pdf import (
    INTERNAL_ORIGIN,
    LocalOnlyURLFetcher,
    ResourceRefused,
    render_pdf,
    render_pdf_with_stats,
)

RARE_NAMES = "王堃 张喆 武曌 李彧 陈犇 林燊 金鑫 刘淼 赵玥"
TRADITIONAL = "臺灣國際貿易股份有限公司"
RESULTS = Path(settings.BASE_DIR) / "test-results"
FONTS = Path(settings.BASE_DIR) / "static" / "pdf" / "fonts"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def needs_poppler(tool):
    if shutil.which(tool) is None:
        if REQUIRE_SERVICES:
            pytest.fail(f"{tool} (poppler-utils) is missing; `make test` installs it")
        pytest.skip(f"{tool} (poppler-utils) is not installed; `make test` installs it")


def specimen_context(language):
    chinese = language.startswith("zh")
    rows = [
        (f"P-{number:03d}", name, TRADITIONAL if number % 2 else "苏州精测数控科技有限公司")
        for number, name in enumerate(RARE_NAMES.split() * 8, start=1)
    ]
    return {
        "title": "出口管制内部合规手册" if chinese else "Internal Compliance Programme Manual",
        "organisation": "苏州精测数控科技有限公司",
        "subtitle": "版本 3" if chinese else "Version 3",
        "facts": [("版本" if chinese else "Version", "3")],
        "sections": [
            {
                "id": "policy",
                "level": 1,
                "title": "合规政策" if chinese else "Compliance policy",
                "paragraphs": [
                    "企业承诺遵守出口管制法律法规，对两用物项出口实行全流程合规管理。" * 12,
                    "The company screens every party before shipment. " * 20,
                ],
            },
            {
                "id": "parties",
                "level": 2,
                "title": "交易方名录" if chinese else "Register of parties",
                "paragraphs": [f"联系人：{RARE_NAMES}；{TRADITIONAL}。"],
                "table": {
                    "caption": "交易方" if chinese else "Parties",
                    "headers": ("编号", "联系人", "名称"),
                    "rows": rows,
                },
            },
            {
                "id": "training",
                "level": 1,
                "title": "培训" if chinese else "Training",
                "paragraphs": ["培训计划覆盖全体员工。" * 30],
            },
        ],
    }


class WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render_specimen(language):
    """Renders the specimen and fails on any WeasyPrint warning: a missing glyph (tofu) is one."""
    collector = WarningCollector()
    weasyprint_logger = logging.getLogger("weasyprint")
    weasyprint_logger.addHandler(collector)
    try:
        result = render_pdf_with_stats(
            "pdf/specimen.html", specimen_context(language), language=language
        )
    finally:
        weasyprint_logger.removeHandler(collector)
    assert collector.messages == []
    return result


@pytest.fixture(scope="module")
def chinese():
    return render_specimen("zh-hans")


@pytest.fixture(scope="module")
def english():
    return render_specimen("en")


def page_texts(pdf):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdffonts(pdf, tmp_path):
    needs_poppler("pdffonts")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    lines = output.splitlines()[2:]  # after the header and the dashes
    # name, type (may contain spaces), encoding, emb, sub, uni, object, generation
    return [(line.split()[0], line[37:54].strip(), line.split()[-5]) for line in lines]


def test_chinese_pdf_has_pages_text_and_rare_characters(chinese):
    texts = page_texts(chinese.pdf)
    assert chinese.page_count == len(texts) >= 4
    assert chinese.pdf.startswith(b"%PDF-")
    everything = "".join(texts).replace(" ", "").replace("\n", "")
    for name in RARE_NAMES.split():
        assert name in everything
    assert TRADITIONAL in everything
    assert "目录" in texts[1]  # the table of contents, translated
    # The register of parties runs over several pages; its header row repeats on each.
    register_pages = [text for text in texts if "P-0" in text]
    assert len(register_pages) >= 2
    assert all("编号 联系人 名称" in text for text in register_pages)
    assert chinese.template_seconds > 0 and chinese.layout_seconds > 0 and chinese.write_seconds > 0


def test_chinese_pdf_running_header_and_page_x_of_y(chinese):
    texts = page_texts(chinese.pdf)
    total = len(texts)
    assert "第" not in texts[0].replace("第1", "")  # the cover has no footer
    for number, text in enumerate(texts[1:], start=2):
        assert f"第 {number} 页 / 共 {total} 页" in text
        assert "出口管制内部合规手册" in text  # running header: the title…
        assert "苏州精测数控科技有限公司" in text  # …and the organisation


def test_english_pdf_page_x_of_y_and_language(english, tmp_path):
    needs_poppler("pdftotext")
    reader = PdfReader(io.BytesIO(english.pdf))
    path = tmp_path / "english.pdf"
    path.write_bytes(english.pdf)
    # pdftotext: pypdf misreads the "Custom" encoding WeasyPrint gives small Latin subsets.
    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert f"Page 2 of {english.page_count}" in text
    assert "Contents" in text
    assert "Internal Compliance Programme Manual" in text  # running header
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == "Internal Compliance Programme Manual"


def test_outline_from_headings_and_contents_page_numbers(chinese):
    reader = PdfReader(io.BytesIO(chinese.pdf))
    outline = reader.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == ["目录", "合规政策", "培训"]
    nested = next(item for item in outline if isinstance(item, list))
    assert [item.title for item in nested] == ["交易方名录"]
    policy_page = reader.get_destination_page_number(outline[1]) + 1
    training_page = reader.get_destination_page_number(outline[3]) + 1
    assert training_page > policy_page >= 3
    # The contents page shows each heading's page, read from the page it landed on.
    contents = {
        line.split(" ")[0]: line.split(" ")[-1]
        for line in page_texts(chinese.pdf)[1].splitlines()
        if "..." in line
    }
    assert contents == {
        "合规政策": str(policy_page),
        "交易方名录": str(reader.get_destination_page_number(nested[0]) + 1),
        "培训": str(training_page),
    }


def test_every_font_is_embedded_and_chinese_uses_the_bundled_cjk_font(chinese, english, tmp_path):
    for pdf in (chinese.pdf, english.pdf):
        fonts = pdffonts(pdf, tmp_path)
        assert fonts
        assert all(embedded == "yes" for _name, _type, embedded in fonts), fonts
        names = [name.split("+", 1)[-1] for name, _type, _embedded in fonts]
        # Only the bundled families: no character fell back to a font of the machine.
        assert all(name.startswith(("ICP-CJK", "ICP-Latin")) for name in names), names
        assert any(name.startswith("ICP-CJK") for name in names), names
    cjk = [entry for entry in pdffonts(chinese.pdf, tmp_path) if "ICP-CJK" in entry[0]]
    assert {font_type for _name, font_type, _embedded in cjk} == {"CID Type 0C (OT)"}
    assert any("Bold" in name for name, _type, _embedded in cjk)  # headings are real bold


def test_bundled_cjk_font_covers_rare_and_traditional_characters():
    covered = set()
    for weight in ("Regular", "Bold"):
        cmap = TTFont(FONTS / f"NotoSansCJKsc-{weight}-subset.woff2").getBestCmap()
        covered = set(cmap) if not covered else covered & set(cmap)
    wanted = RARE_NAMES.replace(" ", "") + TRADITIONAL + "犇燊鑫淼玥齉龘靐𠮷，。、；：“”（）《》…—"
    assert [character for character in wanted if ord(character) not in covered] == []
    assert len(covered) > 33000  # all of the SC face except Hangul
    assert (FONTS / "OFL-NotoSansCJK.txt").exists() and (FONTS / "OFL-NotoSans.txt").exists()


def test_first_content_page_renders_to_png(chinese):
    needs_poppler("pdftoppm")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pdf-specimen-zh.pdf").write_bytes(chinese.pdf)
    prefix = RESULTS / "pdf-specimen-zh"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-f",
            "3",
            "-l",
            "3",
            "-singlefile",
            str(prefix) + ".pdf",
            str(prefix),
        ],
        check=True,
    )
    png = prefix.with_suffix(".png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 20_000


def test_harfbuzz_subsetter_is_installed():
    """Without libharfbuzz-subset0, embedding the CJK font takes ~10 s per 100 pages, not ~2."""
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is None:
        if REQUIRE_SERVICES:
            pytest.fail("libharfbuzz-subset0 is missing; `make test` installs it")
        pytest.skip("libharfbuzz-subset0 is not installed; `make test` installs it")


def test_render_pdf_returns_bytes():
    pdf = render_pdf("pdf/specimen.html", specimen_context("en"), language="en")
    assert pdf.startswith(b"%PDF-")


# --- The lean user-agent stylesheet and the worker's warm-up -------------------------------


def test_lean_ua_stylesheet_drops_only_the_footnote_rules():
    from weasyprint.html import UA

    from core.pdf import _lean_ua_css

    lean = _lean_ua_css()
    removed = [line for line in UA.splitlines() if line not in lean.splitlines()]
    assert [line.split(" {")[0] for line in removed] == [
        "::footnote-call",
        "::footnote-marker",
        "::note-call",
        "::note-marker",
        "::note-callback",
    ]
    assert "::marker {" in lean and "h1 { bookmark-level: 1 }" in lean


def test_documents_keep_list_numbers_bullets_and_line_breaks(tmp_path):
    """What the user-agent stylesheet does for a document still happens with the lean one."""
    needs_poppler("pdftotext")
    from core.pdf import INTERNAL_BASE_URL, LeanHTML

    html = (
        '<html lang="en"><body><ol><li>Classify</li><li>Screen</li></ol>'
        "<ul><li>Keep records</li></ul><p>first line<br>second line</p></body></html>"
    )
    pdf = tmp_path / "lists.pdf"
    pdf.write_bytes(LeanHTML(string=html, base_url=INTERNAL_BASE_URL).write_pdf())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:5] == ["1. Classify", "2. Screen", "• Keep records", "first line", "second line"]


def test_warm_up_decodes_every_bundled_font():
    from core.pdf import _decoded_woff2, pdf_warm_up

    _decoded_woff2.cache_clear()
    seconds = pdf_warm_up()
    assert seconds > 0
    bundled = {path.name for path in FONTS.glob("*.woff2")}
    assert _decoded_woff2.cache_info().currsize == len(bundled) == 10


def test_each_worker_process_warms_up_when_it_starts(monkeypatch):
    from celery.signals import worker_process_init

    import core.pdf
    from config.celery import warm_up_pdf

    calls = []
    monkeypatch.setattr(core.pdf, "pdf_warm_up", lambda: calls.append(1) or 0.5)
    assert warm_up_pdf in [ref() for _key, ref in worker_process_init.receivers]
    worker_process_init.send(sender=None)
    assert calls == [1]


def test_a_failed_warm_up_does_not_stop_the_worker(monkeypatch, caplog):
    import core.pdf
    from config.celery import warm_up_pdf

    def broken():
        raise OSError("fontconfig is broken")

    monkeypatch.setattr(core.pdf, "pdf_warm_up", broken)
    with caplog.at_level(logging.ERROR):
        warm_up_pdf()
    assert "PDF warm-up failed" in caplog.text


# --- The URL fetcher ----------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve a host or open a connection is recorded and fails."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a PDF test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_external_image_and_import_make_no_request_and_the_pdf_still_renders(
    tmp_path, settings, no_network, caplog
):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "external.html").write_text(
        '{% extends "pdf/base.html" %}{% block extra_head %}'
        "<style>@import url(https://fonts.example.com/evil.css);</style>"
        '<link rel="stylesheet" href="http://cdn.example.com/x.css">{% endblock %}'
        '{% block content %}<h1 class="no-break">外部资源</h1>'
        '<img src="https://tracker.example.com/pixel.png" alt="">'
        '<img src="file:///etc/hostname" alt=""><p>正文 text</p>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    with caplog.at_level(logging.WARNING, logger="core.pdf"):
        result = render_pdf_with_stats(
            "pdf/external.html", {"title": "T", "organisation": "O"}, language="zh-hans"
        )
    assert no_network == []
    refused = {record.args[0] for record in caplog.records if "refused" in record.getMessage()}
    assert refused >= {
        "https://fonts.example.com/evil.css",
        "http://cdn.example.com/x.css",
        "https://tracker.example.com/pixel.png",
        "file:///etc/hostname",
    }
    assert result.page_count == 1
    assert "外部资源" in page_texts(result.pdf)[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://example.com/a.css",
        "file:///etc/passwd",
        f"file://{settings.BASE_DIR}/config/settings.py",
        f"{INTERNAL_ORIGIN}/static/../config/settings.py",
        f"{INTERNAL_ORIGIN}/static/%2e%2e/%2e%2e/config/settings.py",
        f"{INTERNAL_ORIGIN}/media/../../etc/passwd",
        f"{INTERNAL_ORIGIN}/static/pdf/no-such-file.css",
        f"{INTERNAL_ORIGIN}/other/print.css",
        "https://example.com/static/pdf/print.css",  # another origin, even with a static path
    ],
)
def test_fetcher_refuses_anything_but_the_apps_own_files(url, no_network):
    with pytest.raises(ResourceRefused):
        LocalOnlyURLFetcher().fetch(url)
    assert no_network == []


def test_fetcher_serves_static_media_and_data_urls(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    fetcher = LocalOnlyURLFetcher(base_url="https://icp.example.com/manual/")

    css = fetcher.fetch(f"{INTERNAL_ORIGIN}/static/pdf/print.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    same_site = fetcher.fetch("https://icp.example.com/static/pdf/print.css")
    assert b"@page" in same_site.read()

    name = default_storage.save("logos/acme.png", ContentFile(b"\x89PNG logo"))
    logo = fetcher.fetch(f"{INTERNAL_ORIGIN}/media/{name}")
    assert logo.read() == b"\x89PNG logo" and logo.content_type == "image/png"

    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    static_file = Path(settings.BASE_DIR) / "static" / "pdf" / "print.css"
    assert b"@page" in fetcher.fetch(static_file.as_uri()).read()

    # Fonts are served decoded from WOFF2, so WeasyPrint does not decode 5 MB on every render.
    font = fetcher.fetch(f"{INTERNAL_ORIGIN}/static/pdf/fonts/NotoSansCJKsc-Regular-subset.woff2")
    assert font.read(4) == b"OTTO"
