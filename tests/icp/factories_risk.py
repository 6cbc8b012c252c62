import datetime

import factory
from factory.django import DjangoModelFactory

from icp.models import DestinationRisk, RiskAssessment, RiskCategory, RiskFactor
from tests.accounts.factories import OrganisationFactory, UserFactory


class RiskAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Export-control risk assessment {2020 + n}")
    assessment_date = datetime.date(2026, 1, 15)
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)
    scope_zh = "全部产品线与出口市场"
    scope_en = "All product lines and export markets"
    assessor = factory.SubFactory(UserFactory)


class RiskFactorFactory(DjangoModelFactory):
    class Meta:
        model = RiskFactor

    assessment = factory.SubFactory(RiskAssessmentFactory)
    organisation = factory.SelfAttribute("assessment.organisation")
    key = factory.Sequence(lambda n: f"R-{n + 1:03d}")
    category = RiskCategory.CUSTOMERS
    title_zh = factory.Sequence(lambda n: f"风险{n}")
    title_en = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = 4
    impact = 4
    residual_likelihood = 2
    residual_impact = 3
    owner = factory.SelfAttribute("assessment.assessor")
    review_date = datetime.date(2026, 6, 30)


class DestinationRiskFactory(DjangoModelFactory):
    class Meta:
        model = DestinationRisk

    organisation = factory.SubFactory(OrganisationFactory)
    country = "VN"
    level = "elevated"
    scope = "transit_diversion"
    reason_zh = "客户所在地存在转运风险。"
    reason_en = "Transhipment risk at the customer's location."
    source = "Internal review, 2026-10"
    confidence = "secondary"
    as_of = datetime.date(2026, 10, 1)
