"""The E1 and E2 demo content: what a visitor of the demo sees, and seeding twice adds nothing."""

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from icp.models import (
    ComplianceBody,
    PolicyAcknowledgement,
    PolicyStatus,
    PolicyVersion,
    Position,
    SodRule,
)
from icp.selectors.policy import policy_acknowledgement_stats, policy_current, policy_diff
from icp.services.organisation import sod_conflicts

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        model.objects.count()
        for model in (PolicyVersion, PolicyAcknowledgement, ComplianceBody, Position, SodRule)
    )


def test_demo_policy_and_organisation(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", password="a-long-demo-password")
    demo = Organisation.objects.get(slug="demo")
    versions = {v.number: v for v in PolicyVersion.objects.for_organisation(demo)}
    assert versions[1].status == PolicyStatus.SUPERSEDED
    assert versions[1].superseded_by == versions[2]
    assert versions[2].status == PolicyStatus.PUBLISHED
    assert versions[2].signatory_name == "刘建国" and "总经理" in versions[2].signatory_title
    assert versions[2].content_sha256 == versions[2].content_fingerprint()
    assert versions[3].status == PolicyStatus.SUBMITTED and versions[3].based_on == versions[2]
    assert policy_current(organisation=demo) == versions[2]
    stats = policy_acknowledgement_stats(organisation=demo, version=versions[2])
    assert stats.percent == 75
    assert [m.user.email for m in stats.pending] == ["staff@demo.example"]
    # Mr Liu sees what changed from last year's text in both languages.
    diff = policy_diff(old=versions[2], new=versions[3])
    assert any(row.kind != "equal" for row in diff.body_zh)
    assert any(row.kind != "equal" for row in diff.body_en)
    assert any(row.kind != "equal" for row in policy_diff(old=versions[1], new=versions[2]).body_en)

    conflicts = sod_conflicts(organisation=demo)
    # One deliberate conflict: 赵敏 approves sales and deputises for the compliance manager, so
    # she could review (and clear screening matches of) her own deals.
    assert {c.user.email for c in conflicts} == {"staff@demo.example"}
    assert {c.code for c in conflicts} == {
        "sales_approver_not_compliance_reviewer",
        "screening_decider_not_sales_approver",
    }
    assert Position.objects.for_organisation(demo).filter(may_stop_exports=True).exists()

    before = _counts()
    call_command("seed_demo")
    assert _counts() == before
