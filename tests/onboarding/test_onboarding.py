import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from icp.models import RiskAssessment, RiskCategory
from onboarding import services
from onboarding.models import SkippedStep
from onboarding.questionnaire import QUESTIONS
from onboarding.selectors import DONE, SKIPPED, TO_DO, onboarding_progress
from tests.icp.factories_policy import PolicyVersionFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "products": "listed",
    "destinations": "high",
    "technology": "none",
    "partners": "unknown",
    "controls": "none",
}


def _states(organisation):
    return {step.code: step.state for step in onboarding_progress(organisation=organisation).steps}


def test_steps_are_read_from_the_records(world):
    organisation = world.organisation
    organisation.address_zh = ""
    organisation.save()
    assert set(_states(organisation).values()) == {TO_DO}

    organisation.address_zh = "江苏省苏州市工业园区星湖街1号"
    organisation.save()
    PolicyVersionFactory(organisation=organisation)
    states = _states(organisation)
    assert states["company"] == DONE
    assert states["policy"] == DONE
    assert states["organisation"] == TO_DO
    progress = onboarding_progress(organisation=organisation)
    assert (progress.done, progress.total) == (2, 7)
    assert progress.next_step.code == "organisation"


def test_company_step_needs_the_credit_code(world):
    organisation = world.organisation
    organisation.address_zh = "苏州"
    organisation.unified_social_credit_code = ""
    organisation.save()
    assert _states(organisation)["company"] == TO_DO


def test_skip_and_resume(world, manager):
    services.step_skip(organisation=world.organisation, user=manager, step="items")
    services.step_skip(organisation=world.organisation, user=manager, step="items")  # twice: one
    assert SkippedStep.objects.filter(organisation=world.organisation).count() == 1
    assert _states(world.organisation)["items"] == SKIPPED
    assert _states(world.other_organisation)["items"] == TO_DO
    services.step_resume(organisation=world.organisation, user=manager, step="items")
    assert _states(world.organisation)["items"] == TO_DO


def test_a_done_step_is_done_even_when_skipped(world, manager):
    services.step_skip(organisation=world.organisation, user=manager, step="policy")
    PolicyVersionFactory(organisation=world.organisation)
    assert _states(world.organisation)["policy"] == DONE


def test_skip_refuses_unknown_steps_and_other_roles(world, manager):
    with pytest.raises(ValidationError):
        services.step_skip(organisation=world.organisation, user=manager, step="nonsense")
    with pytest.raises(PermissionDenied):
        services.step_skip(organisation=world.organisation, user=world.users["staff"], step="items")
    with pytest.raises(PermissionDenied):
        services.step_skip(
            organisation=world.organisation, user=world.users["outsider"], step="items"
        )
    assert not SkippedStep.objects.exists()


def test_answers_fill_the_register(world, manager):
    assessment = services.risk_assessment_from_answers(
        organisation=world.organisation, user=manager, answers=ANSWERS
    )
    assert assessment.status == RiskAssessment.Status.DRAFT
    assert assessment.assessor == manager
    risks = list(assessment.risks.order_by("key"))
    assert [risk.key for risk in risks] == ["R-001", "R-002", "R-003", "R-004", "R-005"]
    assert all(risk.owner == manager and risk.review_date for risk in risks)
    categories = [risk.category for risk in risks]
    assert categories.count(RiskCategory.ITEMS_TECHNOLOGY) == 2
    assert RiskCategory.DESTINATIONS in categories
    # The sensitive answers give high inherent scores; the residual is lower.
    destinations = next(r for r in risks if r.category == RiskCategory.DESTINATIONS)
    assert destinations.title_en == "Exports to embargoed or sanctioned destinations"
    assert destinations.inherent_score == 20
    assert destinations.residual_score < destinations.inherent_score
    assert _states(world.organisation)["risk"] == DONE


def test_answers_decide_the_scores(world, manager):
    low = {q.code: q.answers[0].code for q in QUESTIONS}
    assessment = services.risk_assessment_from_answers(
        organisation=world.organisation, user=manager, answers=low
    )
    assert max(risk.inherent_score for risk in assessment.risks.all()) <= 6


def test_answers_refused_when_incomplete_or_an_assessment_exists(world, manager):
    with pytest.raises(ValidationError):
        services.risk_assessment_from_answers(
            organisation=world.organisation,
            user=manager,
            answers={**ANSWERS, "controls": "maybe"},
        )
    assert not RiskAssessment.objects.exists()
    services.risk_assessment_from_answers(
        organisation=world.organisation, user=manager, answers=ANSWERS
    )
    with pytest.raises(ValidationError):
        services.risk_assessment_from_answers(
            organisation=world.organisation, user=manager, answers=ANSWERS
        )
    assert RiskAssessment.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.risk_assessment_from_answers(
            organisation=world.other_organisation, user=manager, answers=ANSWERS
        )


def test_form_errors_keep_the_answers_and_create_nothing(world):
    client = world.client("manager")
    response = client.post(
        reverse("onboarding:risk_questions"), {**ANSWERS, "controls": ""}, follow=False
    )
    assert response.status_code == 200
    assert not RiskAssessment.objects.exists()
    html = response.content.decode()
    assert "This field is required." in html
    checked = re.search(r'<input[^>]*name="partners"[^>]*value="unknown"[^>]*checked', html)
    assert checked, "the answers given are kept"


def test_questionnaire_post_redirects_to_the_new_register(world):
    response = world.client("manager").post(reverse("onboarding:risk_questions"), ANSWERS)
    assessment = RiskAssessment.objects.get(organisation=world.organisation)
    assert response.status_code == 302
    assert response.url == assessment.get_absolute_url()
    page = world.client("manager").get(reverse("onboarding:risk_questions"))
    assert b'data-testid="assessment-exists"' in page.content


def test_overview_panel_for_the_compliance_manager_only(world):
    overview = reverse("icp:overview")
    assert b'data-testid="onboarding-panel"' in world.client("manager").get(overview).content
    assert b'data-testid="onboarding-panel"' not in world.client("executive").get(overview).content
    assert b'data-testid="onboarding-panel"' not in world.client("staff").get(overview).content


def test_overview_panel_goes_when_every_step_is_settled(world, manager):
    from onboarding.models import Step

    for step in Step.values:
        services.step_skip(organisation=world.organisation, user=manager, step=step)
    overview = world.client("manager").get(reverse("icp:overview"))
    assert b'data-testid="onboarding-panel"' not in overview.content


def test_home_lists_steps_with_links(world):
    response = world.client("manager").get(reverse("onboarding:home"))
    html = response.content.decode()
    assert reverse("icp:policy_home") in html
    assert reverse("parties:import") in html
    assert reverse("onboarding:step_skip", args=["customers"]) in html


def test_manual_step_is_done_when_a_manual_exists(world):
    from tests.icp.routes_manual import _version

    assert _states(world.organisation)["manual"] == TO_DO
    _version(world)
    assert _states(world.organisation)["manual"] == DONE
    assert _states(world.other_organisation)["manual"] == TO_DO


def test_progress_in_fixed_queries(world, manager, django_assert_max_num_queries):
    services.step_skip(organisation=world.organisation, user=manager, step="items")
    PolicyVersionFactory(organisation=world.organisation)
    with django_assert_max_num_queries(9):
        onboarding_progress(organisation=world.organisation)
