import pytest
from django.core.management import call_command

from icp.models import RiskAssessment, RiskFactor
from icp.selectors.risk import risk_assessment_compare, risk_assessment_previous

pytestmark = pytest.mark.django_db


def test_demo_has_an_approved_2025_and_a_copied_2026_draft_with_changes(capsys):
    call_command("seed_demo", password="a-long-demo-password")
    call_command("seed_demo")  # idempotent
    assessments = list(RiskAssessment.objects.filter(organisation__slug="demo"))
    assert len(assessments) == 2
    draft = next(a for a in assessments if a.status == "draft")
    approved = next(a for a in assessments if a.status == "approved")
    assert approved.approved_by.email == "executive@demo.example"
    assert risk_assessment_previous(assessment=draft) == approved
    comparison = risk_assessment_compare(assessment=draft, previous=approved)
    assert [r.key for r in comparison.new] == ["R-009", "R-010"]
    assert [c.key for c in comparison.changed] == ["R-004", "R-007"]
    assert [r.key for r in comparison.closed] == ["R-008"]
    assert RiskFactor.objects.filter(assessment=approved, courses__isnull=False).exists()
    assert all(r.title_zh and r.title_en for r in RiskFactor.objects.all())
