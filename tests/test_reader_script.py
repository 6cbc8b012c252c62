"""Each reader sees one language: the main pages, per role, and the main generated documents
contain no text of the other script outside names, quotes and stored user data.

English pages: no Han characters. Chinese pages: no run of three or more English words (a
sentence left untranslated); codes, file names, e-mail addresses and single Latin words (PDF,
SHA-256, ICP) are fine. Known names (people, organisations, stored bilingual records shown in
their own language) are stripped first through the allow-list built from the database.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import Organisation, User
from core.navigation import ELEMENTS, TOOLS
from tests.icp.manual_fixtures import build_programme

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]+){2,}\b")

# The language switcher names each language in its own script.
ALWAYS_ALLOWED = ["简体中文", "English"]
# Labels of the two language versions of a bilingual record shown side by side.
ALWAYS_ALLOWED += ["中文"]
# The screening form's help text gives example names in several scripts.
ALWAYS_ALLOWED += ["示例光电有限公司", "Shili Optoelectronics"]

# Leaks known and owned elsewhere, each with its reason; remove an entry when it is fixed.
KNOWN_LEAKS: dict[str, str] = {}

EXTRA_PAGES = [
    "icp:overview",
    "records:event_log",
    "records:notification_list",
    "transactions:queue",
    "screening:screening_list",
]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


STORED_DATA_APPS = ("accounts", "reference", "icp", "trade", "screening", "audits", "records")


def allow_list() -> list[str]:
    """Names and stored user data: every text a person typed or imported is shown as stored
    (its other-language twin is used when there is one). The event log and the history tables
    are left out: what they show is rendered from codes, in the reader's language."""
    names = list(ALWAYS_ALLOWED)
    for org in Organisation.objects.all():
        names += [org.name_zh, org.name_en]
    for user in User.objects.all():
        names += [user.full_name, user.email]
    for model in apps.get_models():
        if model._meta.app_label not in STORED_DATA_APPS or model.__name__.startswith("Historical"):
            continue
        if model.__name__ in ("EventLogEntry",):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                for value in row:
                    if isinstance(value, str):
                        # Long texts are shown rendered (Markdown): by line and by sentence too.
                        names += [value, *re.split(r"[\n。；]|(?<=[.;])\s|^[#*\->\s\d.]+", value)]
    return sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True)


def strip_allowed(text: str, allowed: list[str]) -> str:
    """`text` without the allowed names and quotations. A number ("12", "2025-01") is not taken
    out of the middle of a word or a hash: "3ff12aac" would leave "ff aac", which reads as
    English."""
    for name in allowed:
        if re.fullmatch(r"[\W\d_]+", name):
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", " ", text)
        else:
            text = text.replace(name, " ")
    # Quotations keep their own language.
    return re.sub(r"“[^”]*”|「[^」]*」|\"[^\"]*\"", " ", text)


def leaks(text: str, language: str) -> list[str]:
    found = (HAN if language == "en" else ENGLISH_RUN).findall(text)
    return [f for f in found if f not in KNOWN_LEAKS]


def _pages() -> list[str]:
    return [item.url for item in ELEMENTS + TOOLS] + [reverse(name) for name in EXTRA_PAGES]


@pytest.fixture
def programme(world, reference):
    return build_programme(world)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("persona", ["manager", "auditor", "executive", "staff"])
def test_main_pages_read_in_one_language(world, programme, persona, language):
    client = world.client(persona)
    allowed = allow_list()
    found = {}
    for url in _pages():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200:
            continue
        text = strip_allowed(visible_text(response.content.decode()), allowed)
        if bad := leaks(text, language):
            found[url] = sorted(set(bad))[:10]
    assert not found, found


def test_english_manual_has_no_chinese_outside_stored_data(world, programme):
    from pypdf import PdfReader

    from icp.services.manual import manual_generate

    version = manual_generate(organisation=world.organisation, language="en")
    with version.pdf.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(handle).pages)
    # PDF text comes back wrapped anywhere: compare without any white space (only Han
    # characters are looked for, so English words may run together).
    allowed = sorted({re.sub(r"\s+", "", n) for n in allow_list()}, key=len, reverse=True)
    found = leaks(strip_allowed(re.sub(r"\s+", "", text), [n for n in allowed if n]), "en")
    assert not found, sorted(set(found))[:20]
