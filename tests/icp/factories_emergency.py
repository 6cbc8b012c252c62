import factory
from factory.django import DjangoModelFactory

from icp.models import Incident, IncidentAction, ResponsePlan, Scenario
from tests.accounts.factories import OrganisationFactory, UserFactory


class ResponsePlanFactory(DjangoModelFactory):
    class Meta:
        model = ResponsePlan

    organisation = factory.SubFactory(OrganisationFactory)
    scenario = Scenario.END_USE_CHANGED
    title_zh = "最终用途变更应急预案"
    title_en = "End use changed: response plan"
    steps_zh = "立即暂停发货\n报告商务部"
    steps_en = "Stop the shipment at once\nReport to MOFCOM"
    legal_basis = "REGS Art. 25"


class IncidentFactory(DjangoModelFactory):
    class Meta:
        model = Incident

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"INC-2026-{n + 100:03d}")
    title = factory.Sequence(lambda n: f"Concern {n}")
    description = "A customer wrote that the machines will be installed at another site."
    scenario = Scenario.END_USE_CHANGED
    reported_by = factory.SubFactory(UserFactory)


class IncidentActionFactory(DjangoModelFactory):
    class Meta:
        model = IncidentAction

    incident = factory.SubFactory(IncidentFactory)
    description = "Update the end-user certificate check in the review procedure"
    owner = factory.SubFactory(UserFactory)
    due_on = factory.Faker("future_date")
