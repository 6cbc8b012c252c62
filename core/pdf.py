"""The PDF pipeline: a Django template under templates/pdf/ -> HTML -> WeasyPrint -> PDF bytes.

Templates extend "pdf/base.html" (print CSS, bundled fonts, running header and footer, page
counters, bookmarks) and never the web layout. WeasyPrint only reaches the app's own static files
and the media storage through `LocalOnlyURLFetcher`: a template can never make it open a network
connection or read an arbitrary file. See docs/pdf.md.
"""

import io
import logging
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from fontTools.ttLib import woff2
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA, UA_FORM_STYLESHEET
from weasyprint.text.ffi import harfbuzz_subset
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The origin relative URLs resolve against when the caller gives no base URL. ".invalid" never
# resolves (RFC 2606), and the fetcher maps this origin to local files anyway.
INTERNAL_ORIGIN = "https://pdf.icp.invalid"
INTERNAL_BASE_URL = f"{INTERNAL_ORIGIN}/"
# Every bundled face (Chinese and Latin, regular and bold): see pdf_warm_up.
WARM_UP_TEMPLATE = "pdf/warm_up.html"

CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
}


if harfbuzz_subset is None:  # pragma: no cover - depends on the machine
    logger.warning(
        "libharfbuzz-subset0 is not installed: WeasyPrint embeds fonts with fontTools, about "
        "ten times slower for Chinese documents (see docs/pdf.md)"
    )


# WeasyPrint's user-agent stylesheet gives every element the styles of the footnote and note
# pseudo-elements (::footnote-call, ::footnote-marker, ::note-*), and WeasyPrint then computes
# them for every element of the document: a fifth of the time of a 100-page manual. Our PDFs
# have no footnotes (a template that adds some must style them in print.css), so they use the
# same stylesheet without those rules.
UA_FOOTNOTE_RULES = re.compile(r"^::(footnote|note)-[a-z]+ \{[^}]*\}$", re.MULTILINE)


def _lean_ua_css() -> str:
    lean, removed = UA_FOOTNOTE_RULES.subn("", UA)
    if removed != 5:  # pragma: no cover - only after a WeasyPrint upgrade
        raise RuntimeError(f"WeasyPrint's UA stylesheet changed ({removed} footnote rules found)")
    return lean


# Its @counter-style rules are WeasyPrint's own, already defined for every document: parse
# them into a scratch registry rather than define them twice.
LEAN_UA_STYLESHEET = CSS(string=_lean_ua_css(), counter_style=CounterStyle())


class LeanHTML(HTML):
    """A WeasyPrint document with the lean user-agent stylesheet (see LEAN_UA_STYLESHEET)."""

    def _ua_stylesheets(self, forms=False):
        return [LEAN_UA_STYLESHEET, UA_FORM_STYLESHEET] if forms else [LEAN_UA_STYLESHEET]


class ResourceRefused(ValueError):
    """A PDF template asked for something that is not one of the app's own files."""


@dataclass(frozen=True)
class PdfResult:
    """A rendered PDF with the figures the benchmarks and the job page report."""

    pdf: bytes
    page_count: int
    template_seconds: float  # Django template -> HTML
    layout_seconds: float  # WeasyPrint: parse, style, fetch fonts and images, lay out pages
    write_seconds: float  # WeasyPrint: subset and embed fonts, write the PDF

    @property
    def total_seconds(self) -> float:
        return self.template_seconds + self.layout_seconds + self.write_seconds


def render_pdf(
    template_name: str, context: dict, *, language: str, base_url: str | None = None
) -> bytes:
    """Render `template_name` (under templates/pdf/) in `language` and return the PDF bytes."""
    return render_pdf_with_stats(template_name, context, language=language, base_url=base_url).pdf


def render_pdf_with_stats(
    template_name: str, context: dict, *, language: str, base_url: str | None = None
) -> PdfResult:
    """Like `render_pdf`, and also report the page count and where the time went.

    `base_url` only changes how relative links are resolved (e.g. the site's address for links
    printed in the PDF); resources are still read from the app's own files, never fetched.
    """
    started = time.perf_counter()
    with translation.override(language):
        html = render_to_string(template_name, context)
    rendered = time.perf_counter()
    document = LeanHTML(
        string=html,
        base_url=base_url or INTERNAL_BASE_URL,
        url_fetcher=LocalOnlyURLFetcher(base_url=base_url),
    ).render(font_config=FontConfiguration())
    laid_out = time.perf_counter()
    pdf = document.write_pdf()
    written = time.perf_counter()
    return PdfResult(
        pdf=pdf,
        page_count=len(document.pages),
        template_seconds=rendered - started,
        layout_seconds=laid_out - rendered,
        write_seconds=written - laid_out,
    )


def pdf_warm_up() -> float:
    """Render a one-line document so the process has the fonts decoded and WeasyPrint loaded.

    A worker calls this when it starts (config/celery.py): otherwise its first document pays
    about one second for decoding the CJK fonts and initialising Pango and fontconfig. Returns
    the seconds it took.
    """
    started = time.perf_counter()
    render_pdf(WARM_UP_TEMPLATE, {"title": "", "organisation": ""}, language="zh-hans")
    return time.perf_counter() - started


class LocalOnlyURLFetcher(URLFetcher):
    """Serves the app's static files and media files; refuses every other URL.

    Accepted: `data:` URLs; `<origin>/static/...` and `<origin>/media/...` where the origin is
    the internal one or that of the caller's base URL (or STATIC_URL/MEDIA_URL when they are
    absolute); `file:` paths inside the static directories, STATIC_ROOT or MEDIA_ROOT.
    Everything else raises `ResourceRefused`, which WeasyPrint logs and skips, so the document
    still renders, without that resource.
    """

    def __init__(self, base_url: str | None = None):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.origins = {INTERNAL_ORIGIN}
        if base_url:
            parts = urlsplit(base_url)
            if parts.scheme in ("http", "https") and parts.netloc:
                self.origins.add(f"{parts.scheme}://{parts.netloc}")

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = self._local_path(url) if scheme == "file" else None
        if path is not None:
            return _file_response(url, path)
        if scheme in ("http", "https"):
            response = self._app_file(url)
            if response is not None:
                return response
        logger.warning("PDF resource refused (only the app's own files are used): %s", url)
        raise ResourceRefused(f"Not one of the app's own files: {url}")

    def _app_file(self, url: str) -> URLFetcherResponse | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        path = unquote(parts.path)
        for prefix, reader in (
            (settings.STATIC_URL, self._static_file),
            (settings.MEDIA_URL, self._media_file),
        ):
            if "://" in prefix:  # an absolute STATIC_URL or MEDIA_URL (a CDN)
                if not url.startswith(prefix):
                    continue
                name = unquote(urlsplit(url).path.removeprefix(urlsplit(prefix).path))
            elif origin in self.origins and path.startswith(prefix):
                name = path.removeprefix(prefix)
            else:
                continue
            return reader(url, name)
        return None

    @staticmethod
    def _static_file(url: str, name: str) -> URLFetcherResponse | None:
        try:
            found = finders.find(name)  # the source files, as in development
            if not found and staticfiles_storage.exists(name):  # collected (hashed) names
                found = staticfiles_storage.path(name)
        # A ".." escape, or collected files on a storage without local paths (S3): not served.
        except (SuspiciousFileOperation, NotImplementedError, ValueError):
            return None
        return _file_response(url, Path(found)) if found else None

    @staticmethod
    def _media_file(url: str, name: str) -> URLFetcherResponse | None:
        try:
            if not name or not default_storage.exists(name):
                return None
            with default_storage.open(name) as handle:
                body = handle.read()
        except SuspiciousFileOperation:
            return None
        return URLFetcherResponse(url, body, {"Content-Type": _content_type(name)})

    @staticmethod
    def _local_path(url: str) -> Path | None:
        path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
        roots = [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
        roots += [
            Path(root[1] if isinstance(root, tuple) else root) for root in settings.STATICFILES_DIRS
        ]
        for root in roots:
            if path.is_relative_to(root.resolve()) and path.is_file():
                return path
        return None


def _content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def _file_response(url: str, path: Path) -> URLFetcherResponse:
    if path.suffix.lower() == ".woff2":
        body = _decoded_woff2(path, path.stat().st_mtime_ns)
        return URLFetcherResponse(url, body, {"Content-Type": "font/otf"})
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _content_type(path.name)})


@lru_cache(maxsize=32)
def _decoded_woff2(path: Path, mtime_ns: int) -> bytes:
    """Fonts are committed as WOFF2 (half the size) and decoded once per process.

    WeasyPrint would otherwise decode the 5 MB CJK fonts on every render (about 0.7 s).
    """
    output = io.BytesIO()
    with path.open("rb") as handle:
        woff2.decompress(handle, output)
    return output.getvalue()
