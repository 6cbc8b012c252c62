"""The manual PDF's bookmarks read "1 Compliance policy statement", number and title apart."""

import pytest
from pypdf import PdfReader

from icp.services.manual import manual_generate
from tests.icp.manual_fixtures import build_programme

pytestmark = pytest.mark.django_db


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(item.title)
    return titles


def test_chapter_bookmarks_separate_the_number_from_the_title(world, reference):
    build_programme(world)
    version = manual_generate(organisation=world.organisation, language="en")
    with version.pdf.open("rb") as handle:
        titles = _outline_titles(PdfReader(handle).outline)
    assert "1 Compliance policy statement" in titles
    assert "8 Recordkeeping" in titles
    assert not [t for t in titles if t[:1].isdigit() and not t[1:2].isspace()]
