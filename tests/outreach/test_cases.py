"""The case library: each case with its source and date, its provisions from the reference
library named as Chinese decisions name them, published by a chamber to its members only."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from outreach import selectors, services
from outreach.citations import citable_provisions
from reference.citations import chinese_number, citation_zh
from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from tests.outreach.factories import EnforcementCaseFactory

pytestmark = pytest.mark.django_db

LAW_DIR = Path(settings.BASE_DIR).parent.parent / "shared" / "reference" / "law"
if not LAW_DIR.exists():  # the main checkout sits beside shared/
    LAW_DIR = Path(settings.BASE_DIR).parent / "shared" / "reference" / "law"
LAW_FILES = {"ECL": "export-control-law-2020.md", "REGS": "dual-use-regulations-2024.md"}

CASE = {
    "title_zh": "某公司未经许可出口管制物项案",
    "authority": "customs",
    "authority_name": "南京海关",
    "decision_number": "宁关缉违字〔2025〕0001号",
    "decision_date": datetime.date(2025, 2, 3),
    "source": "https://example.test/decision",
    "summary_zh": "案情。",
    "provisions": ["REGS-27", "ECL-34"],
}


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 10, 12, 20, 27, 45)] == [
        "一",
        "十",
        "十二",
        "二十",
        "二十七",
        "四十五",
    ]
    assert citation_zh("REGS", "27") == "《两用物项出口管制条例》第二十七条"
    assert citation_zh("ECL", "5(4)") == "《出口管制法》第五条第四款"


@pytest.mark.skipif(not LAW_DIR.exists(), reason="the law texts are not checked out")
def test_every_citable_provision_is_an_article_of_the_law_text(reference):
    provisions = citable_provisions()
    assert {p.law for p in provisions} == {"ECL", "REGS"}
    for provision in provisions:
        text = (LAW_DIR / LAW_FILES[provision.law]).read_text(encoding="utf-8")
        article = re.match(r"\d+", provision.article).group()
        assert f"第{chinese_number(int(article))}条 " in text, provision.ref_id


def test_a_case_needs_its_source_and_known_provisions(world, reference):
    organisation, manager = world.organisation, world.users["manager"]
    with pytest.raises(ValidationError) as error:
        services.enforcement_case_create(
            organisation=organisation,
            actor=manager,
            data={
                **CASE,
                "source": "  ",
                "provisions": ["ECL-99"],
                "authority": "other",
                "authority_name": "",
            },
        )
    assert set(error.value.message_dict) == {"source", "provisions", "authority_name"}
    with pytest.raises(ValidationError) as error:
        services.enforcement_case_create(
            organisation=organisation,
            actor=manager,
            data={**CASE, "decision_date": datetime.date.today() + datetime.timedelta(days=3)},
        )
    assert "decision_date" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.enforcement_case_create(
            organisation=organisation, actor=world.users["auditor"], data=CASE
        )
    case = services.enforcement_case_create(organisation=organisation, actor=manager, data=CASE)
    assert case.provisions == ["ECL-34", "REGS-27"] and not case.is_published
    with translation.override("zh-hans"):
        assert selectors.case_citations(case) == [
            "《出口管制法》第三十四条",
            "《两用物项出口管制条例》第二十七条",
        ]
    with translation.override("en"):
        assert selectors.case_citations(case)[0] == "Export Control Law, Art. 34"
    # An organisation that is no chamber keeps its library for its own people.
    with pytest.raises(ValidationError):
        services.enforcement_case_publish(case=case, actor=manager)


def test_members_read_only_what_their_chamber_published(world, reference):
    chamber, users = chamber_with_staff()
    ChamberMembershipFactory(organisation=chamber.organisation, member=world.organisation)
    draft = EnforcementCaseFactory(organisation=chamber.organisation)
    published = EnforcementCaseFactory(organisation=chamber.organisation)
    services.enforcement_case_publish(case=published, actor=users["manager"])
    with pytest.raises(ValidationError):
        services.enforcement_case_publish(case=published, actor=users["manager"])
    assert list(selectors.cases_for_member(organisation=world.organisation)) == [published]
    assert list(selectors.cases_for_member(organisation=world.other_organisation)) == []
    assert draft not in selectors.cases_for_member(organisation=world.organisation)
    # A member that left reads nothing more.
    world.organisation.chamber_memberships.update(status="left")
    assert list(selectors.cases_for_member(organisation=world.organisation)) == []
