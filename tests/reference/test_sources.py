"""Sources of the reference data read as names in the reader's language (a provision of PRC law
as its citation), never as the data's keys ("M2007", "BISECP") or English research titles."""

import re
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from audits.services.checklist import checklist_generate
from audits.services.templates import template_standard_ensure
from reference.services import DEFAULT_FRAMEWORK_FILE
from reference.sources import SOURCE_NAMES, source_citation
from tests.audits.factories import make_audit, transactions_bulk

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff]")
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]+){2,}\b")
KEYS = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(SOURCE_NAMES, key=len, reverse=True)) + r")(?![\w-])"
)


def _data() -> dict:
    return yaml.safe_load(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))


def _keys_used(data: dict) -> set[str]:
    used = {source["key"] for source in data["sources"]}
    for element in data["elements"]:
        used |= {r.get("source") or "" for r in element.get("requirements", [])}
    for section in ("audit_checklist", "red_flags"):
        for entry in data.get(section) or []:
            for item in entry.get("questions", [entry]) if isinstance(entry, dict) else []:
                used.add(item.get("source") or "")
    return used - {""}


def test_every_source_of_the_reference_data_has_a_name_in_both_languages():
    data = _data()
    assert _keys_used(data) <= set(SOURCE_NAMES)
    assert {source["key"] for source in data["sources"]} == set(SOURCE_NAMES)
    for key, (english, chinese) in SOURCE_NAMES.items():
        assert not HAN.search(english), key
        assert HAN.search(chinese) and not ENGLISH_RUN.search(chinese), key
        assert key not in english.split() and key not in chinese, key


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "《两用物项出口管制条例》第十四条第四款"),
        ("en", "Dual-Use Items Export Control Regulations, Art. 14(4)"),
    ],
)
def test_a_provision_of_prc_law_reads_as_its_citation(language, expected):
    with translation.override(language):
        assert source_citation("REGS", "Art. 14(4)") == expected
        assert source_citation("M2007") == SOURCE_NAMES["M2007"][language == "zh-hans"]
        assert (
            source_citation("ECL", "not an article") == SOURCE_NAMES["ECL"][language == "zh-hans"]
        )
    data = _data()
    cited = [
        (r["source"], r["article"])
        for element in data["elements"]
        for r in element.get("requirements", [])
        if r.get("article")
    ]
    assert len(cited) >= 15
    marker = "Art" if language == "en" else "条"
    with translation.override(language):
        for law, article in cited:  # every article the data cites reads as a citation
            assert marker in source_citation(law, article), (law, article)


def _pages(world) -> list[tuple[str, str]]:
    transactions_bulk(world, 1)
    audit = make_audit(world, elements=["E1", "E3", "E4"], sample_size=1)
    checklist_generate(audit=audit)
    sourced = audit.items.exclude(source="").order_by("position")[:5]
    assert sourced
    pages = [("staff", reverse("icp:element_detail", args=[f"E{n}"])) for n in range(1, 10)]
    pages.append(
        ("auditor", reverse("audits:template_detail", args=[template_standard_ensure().pk]))
    )
    pages += [("auditor", reverse("audits:item_detail", args=[audit.pk, i.pk])) for i in sourced]
    return pages


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_name_sources_instead_of_showing_their_keys(world, reference, language):
    names = {pair[language == "zh-hans"] for pair in SOURCE_NAMES.values()}
    shown = set()
    for persona, url in _pages(world):
        response = world.client(persona).get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        html = response.content.decode()
        body = html[html.index("<main") :]
        assert not KEYS.findall(body), (url, sorted(set(KEYS.findall(body))))
        shown |= {name for name in names if name.replace("&", "&amp;") in body}
    assert len(shown) >= 5, shown
