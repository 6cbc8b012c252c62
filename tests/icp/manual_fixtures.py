"""A small but complete programme for the ICP manual tests (every chapter has data), with rare
name characters that must come out in the bundled CJK font."""

import datetime

from django.utils import timezone

from icp.models import Duty, RiskAssessment, SodRule
from tests.icp.factories_emergency import ResponsePlanFactory
from tests.icp.factories_organisation import (
    ComplianceBodyFactory,
    PositionFactory,
    SodRuleFactory,
)
from tests.icp.factories_policy import PolicyVersionFactory
from tests.icp.factories_risk import (
    DestinationRiskFactory,
    RiskAssessmentFactory,
    RiskFactorFactory,
)
from tests.icp.factories_training import AttendanceFactory, CourseFactory, TrainingSessionFactory

RARE_NAME = "王堃喆"  # 堃 and 喆 occur in names and are missing from small CJK subsets
RARE_HOLDER = "李曌彧"


def build_programme(world):
    """Policy, organisation, risk, plans and training for `world.organisation`."""
    org = world.organisation
    manager, executive = world.users["manager"], world.users["executive"]
    policy = PolicyVersionFactory(
        organisation=org,
        published=True,
        created_by=manager,
        signatory=executive,
        signatory_name=RARE_NAME,
        approved_by=executive,
        title_zh="出口管制合规政策声明",
        body_zh="本公司严格遵守《中华人民共和国出口管制法》。\n\n合法合规优先于商业利益。",
        body_en="The Company strictly complies with the Export Control Law.\n\nLegality first.",
    )
    committee = ComplianceBodyFactory(
        organisation=org, committee=True, name_zh="出口管制合规委员会", name_en="Committee"
    )
    department = ComplianceBodyFactory(
        organisation=org, parent=committee, name_zh="合规部", name_en="Compliance Department"
    )
    chair = PositionFactory(
        body=committee,
        title_zh="合规委员会主任",
        title_en="Committee chair",
        is_head=True,
        holder=executive,
        may_stop_exports=True,
    )
    officer = PositionFactory(
        body=department,
        title_zh="出口管制合规专员",
        title_en="Export control officer",
        holder_name=RARE_HOLDER,
        reports_to=chair,
        duty_codes=[Duty.COMPLIANCE_REVIEW, Duty.SCREENING_DECISION],
    )
    SodRuleFactory(organisation=org, code="sales_not_review")
    SodRuleFactory(
        organisation=org,
        code="chair_not_officer",
        positions=True,
        position_a=chair,
        position_b=officer,
        kind=SodRule.Kind.POSITIONS,
    )
    assessment = RiskAssessmentFactory(
        organisation=org,
        assessor=manager,
        title="2026年度出口管制风险评估",
        conclusion_zh="总体风险中等。",
        conclusion_en="Overall risk is medium.",
        status=RiskAssessment.Status.APPROVED,
        approved_by=executive,
        approved_at=timezone.now(),
    )
    RiskFactorFactory(
        assessment=assessment,
        title_zh="中间商转运风险",
        title_en="Diversion through intermediaries",
        likelihood=5,
        impact=4,
    )
    RiskFactorFactory(
        assessment=assessment, likelihood=2, impact=3, residual_likelihood=1, residual_impact=2
    )
    DestinationRiskFactory(organisation=org, country="AE")
    ResponsePlanFactory(
        organisation=org,
        title_zh="最终用途变更应急预案",
        contacts="合规部 王堃喆 138-0000-0000",
        owner=manager,
    )
    course = CourseFactory(
        organisation=org, topic_zh="红旗信号识别培训", topic_en="Recognising red flags"
    )
    session = TrainingSessionFactory(
        course=course, date=timezone.localdate() - datetime.timedelta(days=30)
    )
    AttendanceFactory(session=session, user=world.users["staff"])
    return policy
