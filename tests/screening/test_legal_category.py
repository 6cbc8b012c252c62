"""Foreign law is a separate, labelled matter: every list carries a legal category, and a foreign
unilateral list warns (enhanced review) unless a compliance manager records why it prohibits."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from icp.selectors.risk import destination_risk_split
from screening.forms import ScreeningListForm
from screening.models import ScreeningList
from screening.services.legal import list_severity_set
from screening.services.lists import list_create
from screening.services.screening import screening_run
from tests.screening.factories import ScreeningListFactory, add_entity

pytestmark = pytest.mark.django_db

Category = ScreeningList.LegalCategory
Severity = ScreeningList.Severity
ROOT = Path(__file__).resolve().parents[2]


def _foreign_list(world, **values):
    return list_create(
        organisation=world.organisation,
        user=world.users["manager"],
        code="US-EL",
        name_zh="美国实体清单",
        name_en="US Entity List",
        legal_category=Category.FOREIGN_UNILATERAL,
        **values,
    )


def test_a_foreign_list_warns_by_default(world):
    screening_list = _foreign_list(world)
    assert screening_list.severity == Severity.RED_FLAG
    assert screening_list.is_foreign_law
    with translation.override("en"):
        assert "Anti-Foreign Sanctions Law, Art. 12" in screening_list.foreign_law_note
        assert "MOFCOM Order 2021 No. 1" in screening_list.foreign_law_note
        assert screening_list.get_severity_display() == "Warning: enhanced review"


def test_a_prc_list_prohibits_by_default(world):
    screening_list = list_create(
        organisation=world.organisation,
        user=world.users["manager"],
        code="CN-CONTROL-OWN",
        name_zh="管控名单",
        legal_category=Category.PRC_LAW,
    )
    assert screening_list.severity == Severity.BLOCK and screening_list.foreign_law_note == ""


def test_prohibiting_a_foreign_list_needs_a_recorded_reason(world):
    with pytest.raises(ValidationError) as error:
        _foreign_list(world, severity=Severity.BLOCK)
    assert "severity_reason" in error.value.message_dict
    assert not ScreeningList.objects.filter(code="US-EL").exists()
    screening_list = _foreign_list(
        world,
        severity=Severity.BLOCK,
        severity_reason="Our US parent requires it for goods with US content (board minute 7).",
    )
    assert screening_list.severity == Severity.BLOCK and "board minute" in (
        screening_list.severity_reason
    )


def test_only_a_compliance_manager_changes_the_severity_and_it_is_recorded(world):
    screening_list = _foreign_list(world)
    for persona in ("staff", "auditor", "executive"):
        with pytest.raises(PermissionDenied):
            list_severity_set(
                screening_list=screening_list,
                severity=Severity.BLOCK,
                reason="A reason long enough.",
                user=world.users[persona],
                membership=_membership(world, persona),
            )
    manager = _membership(world, "manager")
    with pytest.raises(ValidationError):
        list_severity_set(
            screening_list=screening_list,
            severity=Severity.BLOCK,
            reason="",
            user=world.users["manager"],
            membership=manager,
        )
    screening_list.refresh_from_db()
    assert screening_list.severity == Severity.RED_FLAG
    list_severity_set(
        screening_list=screening_list,
        severity=Severity.BLOCK,
        reason="Customer contract requires screening out US-listed parties.",
        user=world.users["manager"],
        membership=manager,
    )
    screening_list.refresh_from_db()
    assert screening_list.severity == Severity.BLOCK
    assert screening_list.history.filter(severity=Severity.BLOCK).exists()


def _membership(world, persona):
    from accounts.models import Membership

    return Membership.objects.get(organisation=world.organisation, user=world.users[persona])


def test_the_list_form_leaves_the_severity_to_the_category():
    form = ScreeningListForm(
        data={
            "code": "EU-LIST",
            "name_zh": "欧盟名单",
            "legal_category": Category.FOREIGN_UNILATERAL,
            "severity": "",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["severity"] == ""


def test_a_hit_on_a_foreign_list_is_labelled_foreign_law_risk(world):
    foreign = ScreeningListFactory(
        code="US-CSL",
        legal_category=Category.FOREIGN_UNILATERAL,
        severity=Severity.RED_FLAG,
    )
    add_entity(foreign, "CSL-1", "Shili Optoelectronics Co., Ltd.", aliases=["示例光电有限公司"])
    screening = screening_run(
        organisation=world.organisation, names=["示例光电有限公司"], source="page"
    )
    assert screening.hits.exists()
    client = world.client("manager")
    with translation.override("en"):
        html = client.get(screening.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="foreign-law-note"' in html
    assert "Foreign unilateral list: foreign-law risk" in html
    assert "Prohibited: stop and review" not in html


def test_existing_public_lists_are_classified_and_foreign_ones_warn(world):
    cn = ScreeningListFactory(code="CN-UEL", severity=Severity.BLOCK)
    un = ScreeningListFactory(code="UN-SC", severity=Severity.BLOCK)
    us = ScreeningListFactory(code="US-CSL", severity=Severity.BLOCK)
    own = ScreeningListFactory(organisation=world.organisation, code="OWN", severity=Severity.BLOCK)
    migration = importlib.import_module(
        "screening.migrations.0004_list_legal_category_severity_reason"
    )
    migration.classify_existing_lists(apps, None)
    for row in (cn, un, us, own):
        row.refresh_from_db()
    assert (cn.legal_category, cn.severity) == (Category.PRC_LAW, Severity.BLOCK)
    assert (un.legal_category, un.severity) == (Category.UN, Severity.BLOCK)
    assert (us.legal_category, us.severity) == (Category.FOREIGN_UNILATERAL, Severity.RED_FLAG)
    assert own.legal_category == Category.IN_HOUSE


def test_samples_and_the_screening_form_name_no_real_chinese_company():
    sample = json.loads((ROOT / "docs/list-formats/samples/csl-json-sample.json").read_text())
    names = json.dumps(sample, ensure_ascii=False)
    assert "Huawei" not in names and "华为" not in names
    assert "Fictitious" in names
    forms_source = (ROOT / "screening/forms.py").read_text(encoding="utf-8")
    assert "华为" not in forms_source and "Huawei" not in forms_source


def test_destination_risk_puts_prc_restrictions_first_and_foreign_guidance_in_an_annex(
    world, reference
):
    prc, annex = destination_risk_split(organisation=world.organisation)
    prc_codes = {row.country.code for row in prc}
    annex_codes = {row.country.code for row in annex}
    assert {"KP", "US"} <= prc_codes  # UN embargo; MOFCOM Announcement 2024 No. 46
    assert "AE" in annex_codes and "AE" not in prc_codes  # FinCEN/BIS transhipment alert
    assert all(row.is_foreign_law_risk for row in annex)


def test_the_severity_page_refuses_a_prohibition_without_reason_and_keeps_the_input(world):
    import re

    from django.urls import reverse

    screening_list = _foreign_list(world)
    client = world.client("manager")
    url = reverse("screening:list_severity", args=[screening_list.pk])
    with translation.override("en"):
        response = client.post(
            url, {"severity": Severity.BLOCK, "reason": "short"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "record who decided and why" in html
    assert re.search(r"<textarea[^>]*>\s*short\s*</textarea>", html)
    screening_list.refresh_from_db()
    assert screening_list.severity == Severity.RED_FLAG
    reason = "Required by our US customer's contract for items with US content."
    response = client.post(url, {"severity": Severity.BLOCK, "reason": reason})
    assert response.status_code == 302
    screening_list.refresh_from_db()
    assert (screening_list.severity, screening_list.severity_reason) == (Severity.BLOCK, reason)
