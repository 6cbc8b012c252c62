"""Factories for E2: compliance bodies, positions and segregation-of-duties rules."""

import factory
from factory.django import DjangoModelFactory

from icp.models import ComplianceBody, Duty, Position, SodRule
from tests.accounts.factories import OrganisationFactory


class ComplianceBodyFactory(DjangoModelFactory):
    class Meta:
        model = ComplianceBody

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ComplianceBody.Kind.DEPARTMENT
    name_zh = factory.Sequence(lambda n: f"合规部{n}")
    name_en = factory.Sequence(lambda n: f"Compliance Department {n}")
    mandate_zh = "负责出口管制合规审查。"
    mandate_en = "Export-control compliance review."

    class Params:
        committee = factory.Trait(
            kind=ComplianceBody.Kind.COMMITTEE,
            name_zh=factory.Sequence(lambda n: f"出口管制合规委员会{n}"),
            name_en=factory.Sequence(lambda n: f"Export Control Compliance Committee {n}"),
        )


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    body = factory.SubFactory(ComplianceBodyFactory)
    organisation = factory.SelfAttribute("body.organisation")
    title_zh = factory.Sequence(lambda n: f"合规专员{n}")
    title_en = factory.Sequence(lambda n: f"Compliance officer {n}")
    duties_zh = "审查订单的最终用户和最终用途。"
    duties_en = "Reviews the end user and end use of orders."
    duty_codes = factory.LazyFunction(lambda: [Duty.COMPLIANCE_REVIEW])


class SodRuleFactory(DjangoModelFactory):
    """A transaction-level (duties) rule by default; use `positions=True` with position_a/b."""

    class Meta:
        model = SodRule

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"rule_{n}")
    kind = SodRule.Kind.DUTIES
    name_zh = "销售审批人不得同时担任合规审查人"
    name_en = "The sales approver must not be the compliance reviewer"
    duty_a = Duty.SALES_APPROVAL
    duty_b = Duty.COMPLIANCE_REVIEW

    class Params:
        positions = factory.Trait(kind=SodRule.Kind.POSITIONS, duty_a="", duty_b="")
