import datetime

import pytest
from django.urls import reverse

from icp.models import DestinationRisk, RiskAssessment, RiskFactor
from tests.icp.factories_risk import (
    DestinationRiskFactory,
    RiskAssessmentFactory,
    RiskFactorFactory,
)
from tests.icp.factories_training import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(world):
    return RiskAssessmentFactory(organisation=world.organisation, assessor=world.users["manager"])


def _risk_post(**overrides):
    return {
        "category": "channels",
        "title_zh": "经阿联酋贸易商转售",
        "title_en": "Re-export via UAE traders",
        "likelihood": "4",
        "impact": "5",
        "residual_likelihood": "3",
        "residual_impact": "4",
        "mitigation_zh": "不再出口承诺",
        "controls": "经销商管理办法 CP-05",
        "review_date": "2026-06-30",
    } | overrides


def test_manager_creates_an_assessment_and_adds_a_risk(world, reference):
    client = world.client("manager")
    response = client.post(
        reverse("icp:risk_assessment_create"),
        {
            "title": "2026年度风险评估",
            "assessment_date": "2026-01-20",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "assessor": world.users["manager"].pk,
            "scope_zh": "全部产品",
        },
    )
    assessment = RiskAssessment.objects.get(title="2026年度风险评估")
    assert response.status_code == 302 and response.url == assessment.get_absolute_url()
    course = CourseFactory(organisation=world.organisation)
    response = client.post(
        reverse("icp:risk_factor_create", args=[assessment.pk]),
        _risk_post(owner=world.users["staff"].pk, courses=[course.pk]),
    )
    assert response.status_code == 302
    risk = assessment.risks.get()
    assert (risk.key, risk.inherent_score, risk.residual_score) == ("R-001", 20, 12)
    assert list(risk.courses.all()) == [course]
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert ("R-001" in page and "经阿联酋贸易商转售" in page) or "Re-export via UAE traders" in page


def test_residual_above_inherent_is_a_form_error(world, assessment, reference):
    response = world.client("manager").post(
        reverse("icp:risk_factor_create", args=[assessment.pk]),
        _risk_post(residual_likelihood="5"),
    )
    assert response.status_code == 200
    assert "Cannot be higher than before mitigation." in response.content.decode()
    assert not assessment.risks.exists()


def test_management_approves_and_then_nobody_can_edit(world, assessment, reference):
    RiskFactorFactory(assessment=assessment, owner=world.users["manager"])
    response = world.client("executive").post(
        reverse("icp:risk_assessment_approve", args=[assessment.pk]), {"note": "同意"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_frozen and assessment.approved_by == world.users["executive"]
    manager = world.client("manager")
    response = manager.get(reverse("icp:risk_factor_create", args=[assessment.pk]))
    assert response.status_code == 302 and response.url == assessment.get_absolute_url()
    page = manager.get(assessment.get_absolute_url()).content.decode()
    assert "Add a risk" not in page and "Start next assessment from this one" in page


def test_copy_forward_and_compare_pages(world, assessment, reference):
    kept = RiskFactorFactory(assessment=assessment, key="R-001")
    RiskFactorFactory(assessment=assessment, key="R-002")
    client = world.client("manager")
    response = client.post(
        reverse("icp:risk_assessment_copy", args=[assessment.pk]),
        {
            "title": "2027",
            "assessment_date": "2027-01-10",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    draft = RiskAssessment.objects.get(title="2027")
    assert response.url == draft.get_absolute_url()
    copies = {risk.key: risk for risk in draft.risks.all()}
    client.post(reverse("icp:risk_factor_delete", args=[copies["R-002"].pk]))
    client.post(
        reverse("icp:risk_factor_update", args=[copies["R-001"].pk]),
        _risk_post(
            category=kept.category,
            title_zh=kept.title_zh,
            title_en=kept.title_en,
            likelihood="5",
            impact="4",
            residual_likelihood="2",
            residual_impact="3",
            owner=kept.owner.pk,
        ),
    )
    html = (
        world.client("auditor")
        .get(reverse("icp:risk_assessment_compare", args=[draft.pk]))
        .content.decode()
    )
    assert 'data-testid="changed-count">1<' in html
    assert 'data-testid="closed-count">1<' in html
    assert 'data-testid="new-count">0<' in html
    assert "likelihood" in html


def test_heat_map_toggles_between_inherent_and_residual(world, assessment, reference):
    RiskFactorFactory(
        assessment=assessment, likelihood=5, impact=5, residual_likelihood=1, residual_impact=2
    )
    client = world.client("auditor")
    inherent = client.get(assessment.get_absolute_url()).content.decode()
    assert 'data-cell="5-5"><strong>1</strong>' in inherent
    residual = client.get(assessment.get_absolute_url() + "?map=residual").content.decode()
    assert 'data-cell="1-2"><strong>1</strong>' in residual
    assert 'data-cell="5-5"><strong>' not in residual


def test_register_exports_to_excel_and_csv(world, assessment, reference):
    RiskFactorFactory(assessment=assessment, title_en="Encoder classification")
    client = world.client("auditor")
    url = assessment.get_absolute_url()
    csv = b"".join(client.get(url + "?export=csv").streaming_content).decode("utf-8-sig")
    assert "Inherent score" in csv.splitlines()[0] and "Encoder classification" in csv
    xlsx = client.get(url + "?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_register_page_with_200_risks_has_a_fixed_query_count(
    world, assessment, reference, django_assert_max_num_queries
):
    courses = [CourseFactory(organisation=world.organisation) for _ in range(3)]
    for i in range(200):
        risk = RiskFactorFactory(assessment=assessment, key=f"R-{i + 1:03d}")
        risk.courses.set(courses[: i % 4])
    client = world.client("manager")
    client.get(assessment.get_absolute_url())  # warm caches (sessions, content types)
    with django_assert_max_num_queries(30):
        response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    assert response.context["paginator"].count == 200


def test_assessment_list_with_200_assessments_has_a_fixed_query_count(
    world, reference, django_assert_max_num_queries
):
    for _ in range(200):
        RiskAssessmentFactory(organisation=world.organisation, assessor=world.users["manager"])
    client = world.client("auditor")
    client.get(reverse("icp:risk_assessment_list"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("icp:risk_assessment_list"))
    assert response.status_code == 200


def test_destination_list_filters_by_level_and_shows_source_and_date(world, reference):
    client = world.client("auditor")
    html = client.get(reverse("icp:destination_risk_list") + "?level=embargo").content.decode()
    assert "North Korea" in html and "1718" in html
    assert "Türkiye" not in html and "Turkey" not in html
    assert "Nov. 1, 2026" in html or "11/01/2026" in html or "2026" in html
    by_name = client.get(reverse("icp:destination_risk_list") + "?q=emirates").content.decode()
    assert "United Arab Emirates" in by_name and "North Korea" not in by_name


def test_destination_list_has_a_fixed_query_count(world, reference, django_assert_max_num_queries):
    for code in ("VN", "MY", "TH", "ID", "PH", "IN", "PK", "BD"):
        DestinationRiskFactory(organisation=world.organisation, country=code)
    client = world.client("manager")
    client.get(reverse("icp:destination_risk_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("icp:destination_risk_list"))


def test_manager_overrides_a_reference_destination(world, reference):
    client = world.client("manager")
    form = client.get(reverse("icp:destination_risk_create") + "?country=AE")
    assert form.context["form"].initial["level"] == "elevated"
    response = client.post(
        reverse("icp:destination_risk_create"),
        {
            "country": "AE",
            "level": "high",
            "scope": "transit_diversion",
            "reason_zh": "本公司曾发现经迪拜转运至俄罗斯的订单。",
            "reason_en": "",
            "source": "Internal incident INC-2026-004",
            "confidence": "verified",
            "as_of": "2026-03-01",
        },
    )
    row = DestinationRisk.objects.get(organisation=world.organisation, country="AE")
    assert response.url == row.get_absolute_url()
    html = client.get(reverse("icp:destination_risk_list") + "?q=AE").content.decode()
    assert "overrides the reference entry" in html
    duplicate = client.post(
        reverse("icp:destination_risk_create"),
        {
            "country": "AE",
            "level": "embargo",
            "scope": "country_wide",
            "source": "x",
            "confidence": "verified",
            "as_of": "2026-03-01",
        },
    )
    assert "already has its own entry" in duplicate.content.decode()


def test_staff_cannot_read_the_risk_assessment(world, assessment, reference):
    assert world.client("staff").get(assessment.get_absolute_url()).status_code == 403


def test_risk_detail_shows_the_risk_across_assessments(world, assessment, reference):
    first = RiskFactorFactory(assessment=assessment, key="R-007")
    later = RiskAssessmentFactory(
        organisation=world.organisation,
        assessor=world.users["manager"],
        assessment_date=datetime.date(2027, 1, 1),
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        previous=assessment,
    )
    RiskFactorFactory(assessment=later, key="R-007")
    html = world.client("auditor").get(first.get_absolute_url()).content.decode()
    assert html.count(reverse("icp:risk_factor_detail", args=[first.pk])) >= 1
    assert str(later) in html
    assert RiskFactor.objects.filter(key="R-007").count() == 2


def _in(client, language="en"):
    client.cookies["django_language"] = language
    return client


def test_removing_a_risk_asks_for_confirmation_first(world, assessment, reference):
    risk = RiskFactorFactory(assessment=assessment, key="R-009")
    html = _in(world.client("manager")).get(risk.get_absolute_url()).content.decode()
    delete_url = reverse("icp:risk_factor_delete", args=[risk.pk])
    confirmation = html[html.index('data-testid="risk-remove"') : html.index("</details>")]
    # The only button that posts the removal sits behind a disclosure that names the risk.
    assert "<summary" in confirmation and delete_url in confirmation
    assert "Remove R-009 from this draft register?" in confirmation
    assert 'data-testid="risk-remove-confirm"' in confirmation
    assert html.count(delete_url) == 1


def test_removing_a_destination_entry_asks_for_confirmation_first(world, reference):
    row = DestinationRiskFactory(organisation=world.organisation, country="TR")
    html = _in(world.client("manager")).get(row.get_absolute_url()).content.decode()
    delete_url = reverse("icp:destination_risk_delete", args=[row.pk])
    confirmation = html[html.index('data-testid="destination-remove"') : html.index("</details>")]
    assert "<summary" in confirmation and delete_url in confirmation
    assert "Remove your entry for" in confirmation
    assert html.count(delete_url) == 1


def test_register_names_each_score_band_in_words(world, assessment, reference):
    RiskFactorFactory(assessment=assessment, likelihood=4, impact=5, residual_impact=2)
    html = _in(world.client("manager")).get(assessment.get_absolute_url()).content.decode()
    assert "4×5 = 20 · Critical" in html
    assert "2×2 = 4 · Low" in html
    client = _in(world.client("manager"), "zh-hans")
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "4×5 = 20 · 严重" in html


def test_risk_detail_names_the_ratings_in_words(world, assessment, reference):
    risk = RiskFactorFactory(assessment=assessment, likelihood=4, impact=5, residual_impact=2)
    html = _in(world.client("auditor")).get(risk.get_absolute_url()).content.decode()
    assert "likelihood 4 · Likely, impact 5 · Severe" in html
    assert "likelihood 2 · Unlikely, impact 2 · Minor" in html
    assert "20 · Critical" in html
