"""Incident types involving customs and MOFCOM: plan templates, Chinese letters filled from the
incident, the reference library's note on what it lacks, and every citation checked against
the law texts in shared/reference/law/."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from icp.models import ResponsePlan, Scenario
from icp.services import emergency as services
from icp.services.emergency_templates import (
    incident_letter,
    plan_templates,
    response_plan_from_template,
)
from tests.icp.factories_emergency import IncidentFactory

pytestmark = pytest.mark.django_db

# The shared law texts sit beside the checkout (../shared/reference/law/); look upwards so a
# git worktree finds them too.
LAW_DIR = next(
    (
        parent / "shared" / "reference" / "law"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "reference" / "law").is_dir()
    ),
    Path("shared-law-texts-not-found"),
)
LAWS = {
    "中华人民共和国出口管制法": "export-control-law-2020.md",
    "中华人民共和国两用物项出口管制条例": "dual-use-regulations-2024.md",
    "中华人民共和国行政处罚法": "administrative-penalty-law-2021.md",
}
DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CITATION = re.compile(
    r"《([^》]+)》((?:第[一二三四五六七八九十百]+条[^；《]*?)+)(?=；|$|。|，|的|\s)"
)
ARTICLE = re.compile(r"第([一二三四五六七八九十百]+)条(?:第([一二三四五六七八九十]+)款)?")
ITEM = re.compile(r"第（([一二三四五六七八九十]+)）项")


def _number(text: str) -> int:
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = DIGITS[char]
    return total + current


def _chinese(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    if number < 100:
        return digits[number // 10] + "十" + (digits[number % 10] if number % 10 else "")
    rest = number % 100
    head = digits[number // 100] + "百"
    if rest == 0:
        return head
    return head + ("零" + digits[rest] if rest < 10 else _chinese(rest))


def _paragraphs(law: str, article: int) -> list[str]:
    """The paragraphs (款 and 项 lines) of an article of a law text."""
    lines = (LAW_DIR / LAWS[law]).read_text(encoding="utf-8").splitlines()
    start = f"第{_chinese(article)}条"
    following = f"第{_chinese(article + 1)}条"
    inside, paragraphs = False, []
    for line in lines:
        if line.startswith(start + " ") or line.startswith(start + "\u3000"):
            inside = True
            paragraphs.append(line[len(start) :].strip())
            continue
        if inside and (line.startswith(following) or (line.startswith("第") and "章" in line[:6])):
            break
        if inside and line.strip():
            paragraphs.append(line.strip())
    return paragraphs


def _check(text: str) -> list[str]:
    """Every full-named citation in `text` that the law texts do not bear out."""
    problems = []
    for law, articles in CITATION.findall(text):
        if law not in LAWS:
            problems.append(f"unknown law {law}")
            continue
        for part in re.split(r"、(?=第)", articles):
            match = ARTICLE.search(part)
            if not match:
                continue
            paragraphs = _paragraphs(law, _number(match.group(1)))
            if not paragraphs:
                problems.append(f"{law} {match.group(0)} not found")
                continue
            clauses = [p for p in paragraphs if not p.startswith("（")]
            if match.group(2) and _number(match.group(2)) > len(clauses):
                problems.append(f"{law} {match.group(0)}: only {len(clauses)} paragraphs")
            for item in ITEM.findall(part):
                if not any(p.startswith(f"（{item}）") for p in paragraphs):
                    problems.append(f"{law} {match.group(0)} item {item} not found")
    return problems


def _membership(world, persona):
    return Membership.objects.get(organisation=world.organisation, user=world.users[persona])


@pytest.mark.skipif(not LAW_DIR.exists(), reason="the shared law texts are not on this machine")
def test_every_citation_of_the_templates_is_in_the_law_texts():
    assert _check("《中华人民共和国两用物项出口管制条例》第十四条第四款") == []
    assert _check("《中华人民共和国两用物项出口管制条例》第十四条第五款")  # the check can fail
    assert _check("《中华人民共和国行政处罚法》第三十二条第（六）项")
    templates = plan_templates()
    assert set(templates) == {
        Scenario.CUSTOMS_CHALLENGE,
        Scenario.MOFCOM_INSPECTION,
        Scenario.REGULATORY_TALK,
        Scenario.CATCH_ALL,
        Scenario.VOLUNTARY_REPORT,
    }
    for template in templates.values():
        assert template.legal_basis.startswith("《")
        for text in (template.legal_basis, template.letter_zh, template.steps_zh):
            assert _check(text) == [], template.scenario
    assert "第二十二条" in templates[Scenario.CUSTOMS_CHALLENGE].legal_basis
    assert "第三十二条" in templates[Scenario.MOFCOM_INSPECTION].legal_basis
    assert "第三十四条" in templates[Scenario.REGULATORY_TALK].legal_basis
    assert "行政处罚法》第三十二条" in templates[Scenario.VOLUNTARY_REPORT].legal_basis


def test_the_customs_challenge_invents_no_deadline_and_keeps_the_missing_announcement_out():
    template = plan_templates()[Scenario.CUSTOMS_CHALLENGE]
    company_text = " ".join(
        (template.steps_zh, template.steps_en, template.letter_zh, template.letter_en)
    )
    assert not re.search(r"\d+\s*(个)?(工作日|日|天)|\d+\s*(working )?days?", company_text)
    assert "123" not in company_text and "质疑" in template.letter_zh
    # The reference library says what it lacks.
    assert any("2025年第123号" in note.text_zh for note in template.library_notes)


def test_a_plan_from_a_template_and_only_for_compliance_managers(world):
    plan = response_plan_from_template(
        membership=_membership(world, "manager"), scenario=Scenario.MOFCOM_INSPECTION
    )
    assert plan.organisation == world.organisation
    assert "不少于2人" in plan.steps_zh and plan.legal_basis.startswith("《")
    with pytest.raises(PermissionDenied):
        response_plan_from_template(
            membership=_membership(world, "staff"), scenario=Scenario.MOFCOM_INSPECTION
        )
    assert ResponsePlan.objects.filter(organisation=world.organisation).count() == 1


def test_the_voluntary_report_carries_the_mitigation_record(world):
    manager = _membership(world, "manager")
    incident = IncidentFactory(
        organisation=world.organisation,
        scenario=Scenario.VOLUNTARY_REPORT,
        title="编码器未经许可出口",
        description="内部审计发现2台编码器未申领许可证即出口。",
    )
    action = services.incident_add_action(
        membership=manager,
        incident=incident,
        description="追回在途货物",
        owner=world.users["manager"],
        due_on=timezone.localdate(),
    )
    services.incident_complete_action(membership=manager, action=action, note="货物已退运")
    services.incident_add_action(
        membership=manager,
        incident=incident,
        description="修订发货前许可核对流程",
        owner=world.users["manager"],
        due_on=timezone.localdate(),
    )
    letter = incident_letter(incident=incident)
    assert incident.reference in letter and "内部审计发现2台编码器" in letter
    assert "1. 追回在途货物：已于" in letter and "货物已退运" in letter
    assert "2. 修订发货前许可核对流程：计划于" in letter
    assert "《中华人民共和国行政处罚法》第三十二条" in letter
    assert world.organisation.name_zh in letter and "$" not in letter
    english = incident_letter(incident=incident, chinese=False)
    assert "Administrative Penalty Law" in english and "due by" in english
    other = IncidentFactory(organisation=world.organisation, scenario=Scenario.OTHER)
    assert incident_letter(incident=other) == ""


def test_the_letter_page_and_the_plan_templates_on_the_list(client, world):
    client.force_login(world.users["manager"])
    session = client.session
    session["organisation_id"] = world.organisation.pk
    session.save()
    incident = IncidentFactory(organisation=world.organisation, scenario=Scenario.CUSTOMS_CHALLENGE)
    detail = client.get(incident.get_absolute_url()).content.decode()
    assert 'data-testid="incident-letter"' in detail
    page = client.get(reverse("icp:incident_letter", args=[incident.pk])).content.decode()
    assert "第二十二条" in page and 'data-testid="library-notes"' in page
    other = IncidentFactory(organisation=world.organisation, scenario=Scenario.OTHER)
    assert client.get(reverse("icp:incident_letter", args=[other.pk])).status_code == 404

    listing = client.get(reverse("icp:plan_list")).content.decode()
    assert 'data-testid="plan-templates"' in listing
    response = client.post(reverse("icp:plan_from_template", args=["customs_challenge"]))
    plan = ResponsePlan.objects.get(organisation=world.organisation)
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert 'data-testid="library-notes"' in client.get(plan.get_absolute_url()).content.decode()
    response = client.post(reverse("icp:plan_from_template", args=["other"]))
    assert ResponsePlan.objects.filter(organisation=world.organisation).count() == 1
