"""Destination risk in the manual: PRC legal restrictions in chapter 3, the foreign-law risk
annex only when the company chooses it on the request form (recorded on the manual version).

The manual is the document MOFCOM sees; a destination that only foreign guidance names (a
transhipment point in a foreign alert) is not a restriction under PRC law and stays out of it
unless asked for. The annex never prints the foreign sources themselves.
"""

import io

import pytest
from django.utils import translation
from docx import Document

from core.models import Job
from icp.models import ManualVersion
from icp.selectors.manual import MANUAL_JOB_KIND, manual_data
from icp.services.manual import manual_context, manual_generate
from icp.services.manual import versions as manual_services
from icp.services.manual_docx import manual_docx
from tests.icp.factories_risk import DestinationRiskFactory
from tests.icp.manual_fixtures import build_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def destinations(world):
    build_programme(world)  # adds an organisation row for AE (transhipment: foreign-law risk)
    DestinationRiskFactory(
        organisation=world.organisation, country="KP", level="embargo", scope="country_wide"
    )


def _docx_text(language: str, world, **options) -> str:
    data = manual_data(organisation=world.organisation)
    context = manual_context(data=data, language=language, number=1, **options)
    with translation.override("en" if language == "en" else "zh-hans"):
        document = Document(io.BytesIO(manual_docx(context=context)))
    return _in_order(document)


def _in_order(document) -> str:
    """The paragraphs and table cells in the order they stand in the document."""
    parts = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            parts += [cell.text for row in block.rows for cell in row.cells]
        else:
            parts.append(block.text)
    return "\n".join(parts)


def test_the_manual_leaves_the_foreign_law_annex_out_by_default(world, destinations):
    text = _docx_text("en", world)
    assert "North Korea" in text  # the PRC legal restriction (UN embargo) stays in chapter 3
    assert "Foreign-law risk annex" not in text
    assert "United Arab Emirates" not in text  # only a foreign transhipment alert names it
    assert "Anti-Foreign Sanctions Law" not in text


def test_the_annex_when_chosen_lists_the_foreign_law_destinations_without_sources(
    world, destinations
):
    text = _docx_text("en", world, foreign_law_annex=True)
    annex = text[text.rindex("Foreign-law risk annex") :]
    assert "United Arab Emirates" in annex and "Transhipment and diversion" in annex
    assert "North Korea" not in annex  # a PRC restriction is not foreign-law risk
    assert "Anti-Foreign Sanctions Law, Art. 12" in annex
    assert "MOFCOM Order 2021 No. 1" in annex
    assert "Internal review" not in text and "secondary" not in text  # no source, confidence
    # Chapter 3 still lists only the PRC restriction.
    chapter = text[: text.rindex("Foreign-law risk annex")]
    assert "United Arab Emirates" not in chapter


def test_the_chinese_annex_cites_in_chinese_form(world, destinations):
    text = _docx_text("zh-hans", world, foreign_law_annex=True)
    annex = text[text.rindex("附录 E") :]
    assert "阿拉伯联合酋长国" in annex
    assert "《反外国制裁法》第十二条" in annex
    assert "Art." not in annex and "MOFCOM" not in annex


def test_the_choice_on_the_request_form_reaches_the_job_and_is_recorded(
    world, destinations, monkeypatch
):
    client = world.client("manager")
    response = client.post(
        "/manual/new/",
        {"language": "en", "edition": "concise", "document_number": "", "foreign_law_annex": "on"},
    )
    assert response.status_code == 302
    job = Job.objects.get(kind=MANUAL_JOB_KIND)
    assert job.params["foreign_law_annex"] is True
    client.post("/manual/new/", {"language": "en", "edition": "concise"})
    second = Job.objects.filter(kind=MANUAL_JOB_KIND).exclude(pk=job.pk).get()
    assert second.params["foreign_law_annex"] is False

    # The version records the choice, and the controlled copy is rendered with it again.
    rendered = []
    real_render = manual_services.manual_render

    def render(**kwargs):
        rendered.append(kwargs["foreign_law_annex"])
        return real_render(**kwargs)

    monkeypatch.setattr(manual_services, "manual_render", render)
    version = manual_generate(
        organisation=world.organisation,
        language="en",
        edition="concise",
        foreign_law_annex=True,
    )
    assert ManualVersion.objects.get(pk=version.pk).foreign_law_annex is True
    assert rendered == [True]
    with version.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    assert any("Foreign-law risk annex" in p.text for p in document.paragraphs)
