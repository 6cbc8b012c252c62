import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from icp.models import RiskAssessment, Scenario
from icp.selectors.overview import (
    ATTENTION,
    MISSING,
    OK,
    general_licence_readiness,
    programme_overview,
)
from tests.accounts.factories import MembershipFactory
from tests.icp.factories_emergency import IncidentFactory, ResponsePlanFactory
from tests.icp.factories_organisation import ComplianceBodyFactory, PositionFactory
from tests.icp.factories_policy import PolicyAcknowledgementFactory, PolicyVersionFactory
from tests.icp.factories_risk import RiskAssessmentFactory, RiskFactorFactory
from tests.icp.factories_training import AttendanceFactory, CourseFactory

pytestmark = pytest.mark.django_db


def _status(organisation, code):
    return next(s for s in programme_overview(organisation=organisation) if s.code == code)


def test_an_empty_programme_is_missing_everywhere_and_not_ready(world):
    statuses = programme_overview(organisation=world.organisation)
    states = {status.code: status.state for status in statuses}
    assert states.pop("E8") == ATTENTION  # the legal minimum applies, but no rules are set
    assert set(states.values()) == {MISSING}
    checks = general_licence_readiness(statuses=statuses)
    assert len(checks) == 9 and not any(check.met for check in checks)


def test_policy_status_follows_publication_and_acknowledgements(world):
    assert _status(world.organisation, "E1").state == MISSING
    policy = PolicyVersionFactory(
        organisation=world.organisation,
        published=True,
        review_due_date=timezone.localdate() + datetime.timedelta(days=200),
    )
    status = _status(world.organisation, "E1")
    assert status.state == ATTENTION and "0%" in str(status.headline)
    for user in world.users.values():
        if user.memberships.filter(organisation=world.organisation).exists():
            PolicyAcknowledgementFactory(version=policy, organisation=world.organisation, user=user)
    assert _status(world.organisation, "E1").state == OK


def test_risk_assessment_older_than_twelve_months_needs_attention(world):
    assessment = RiskAssessmentFactory(
        organisation=world.organisation,
        assessment_date=timezone.localdate() - datetime.timedelta(days=400),
        status=RiskAssessment.Status.APPROVED,
        approved_by=world.users["executive"],
        approved_at=timezone.now(),
    )
    status = _status(world.organisation, "E3")
    assert status.state == ATTENTION and status.overdue
    RiskAssessment.objects.filter(pk=assessment.pk).update(
        assessment_date=timezone.localdate() - datetime.timedelta(days=30)
    )
    assert _status(world.organisation, "E3").state == OK


def test_emergency_status_needs_plans_for_the_statutory_scenarios(world):
    ResponsePlanFactory(organisation=world.organisation, scenario=Scenario.END_USE_CHANGED)
    status = _status(world.organisation, "E5")
    assert status.state == ATTENTION
    for scenario in (
        Scenario.EUC_INVALID,
        Scenario.FOREIGN_VERIFICATION,
    ):
        ResponsePlanFactory(organisation=world.organisation, scenario=scenario)
    # REGS Art. 35 also names the catch-all (Art. 14(3)), a MOFCOM notice (Art. 18(4)) and an
    # improperly obtained certificate (Art. 25(3)); Art. 19(3) the export-voucher situation.
    assert _status(world.organisation, "E5").state == ATTENTION
    for scenario in (
        Scenario.EUC_IMPROPER,
        Scenario.CATCH_ALL,
        Scenario.MOFCOM_LICENCE_NOTICE,
        Scenario.VOUCHER_NOT_APPLICABLE,
    ):
        ResponsePlanFactory(organisation=world.organisation, scenario=scenario)
    assert _status(world.organisation, "E5").state == OK
    IncidentFactory(organisation=world.organisation)
    assert _status(world.organisation, "E5").state == ATTENTION


def test_organisation_without_stop_authority_needs_attention(world):
    body = ComplianceBodyFactory(organisation=world.organisation)
    PositionFactory(
        organisation=world.organisation,
        body=body,
        holder=world.users["manager"],
        may_stop_exports=False,
    )
    assert _status(world.organisation, "E2").state == ATTENTION


def test_overview_page_shows_statuses_with_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    organisation = world.organisation
    policy = PolicyVersionFactory(organisation=organisation, published=True)
    for _ in range(200):
        PolicyAcknowledgementFactory(
            version=policy,
            organisation=organisation,
            user=MembershipFactory(organisation=organisation).user,
        )
    assessment = RiskAssessmentFactory(organisation=organisation)
    RiskFactorFactory.create_batch(200, assessment=assessment)
    course = CourseFactory(organisation=organisation)
    for membership in Membership.objects.filter(organisation=organisation)[:200]:
        AttendanceFactory(session__course=course, organisation=organisation, user=membership.user)
    IncidentFactory.create_batch(200, organisation=organisation)
    client = world.client("executive")
    # The nine statuses and the "for you" list (tests/icp/test_for_you.py), each fixed.
    with django_assert_max_num_queries(36):
        response = client.get(reverse("icp:overview"))
    assert response.status_code == 200
    assert len(response.context["cards"]) == 9
    # The readiness page's checks: four conditions, three disqualifying situations, nine elements.
    assert response.context["readiness_total"] == 16


def test_staff_home_points_to_their_own_tasks(world):
    response = world.client("staff").get(reverse("icp:overview"))
    assert "cards" not in response.context
    html = response.content.decode()
    assert reverse("icp:incident_report") in html
    # The menu offers staff no page that would refuse them.
    assert f'href="{reverse("icp:risk_assessment_list")}"' not in html
    assert f'href="{reverse("icp:organisation_home")}"' not in html


def test_readiness_page_links_each_check_to_where_it_is_fixed(world):
    response = world.client("manager").get(reverse("icp:readiness"))
    assert response.status_code == 200
    assert response.context["met"] == 0
    assert reverse("icp:incident_list") in response.content.decode()


def _shipped(world, reference, end_user, *, days_ago=30, state="approved"):
    from trade.models import PartyRole, Transaction, TransactionParty

    transaction = Transaction.objects.create(
        organisation=world.organisation,
        reference=reference,
        destination_country="DE",
        end_use="Machine tools",
        state=state,
        shipped_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    TransactionParty.objects.create(
        organisation=world.organisation,
        transaction=transaction,
        party=end_user,
        role=PartyRole.END_USER,
    )
    return transaction


def test_general_licence_conditions_read_the_export_record_and_stable_end_users(world):
    from icp.selectors.overview import general_licence_conditions
    from tests.screening.factories_parties import PartyFactory

    record, stable = general_licence_conditions(organisation=world.organisation)
    assert not record.met and not stable.met
    regular = PartyFactory(organisation=world.organisation)
    once = PartyFactory(organisation=world.organisation)
    _shipped(world, "SO-1", regular)
    _shipped(world, "SO-2", once)
    _shipped(world, "SO-OLD", regular, days_ago=800)  # outside the two years
    _shipped(world, "SO-DRAFT", regular, state="draft")  # not an export
    record, stable = general_licence_conditions(organisation=world.organisation)
    assert record.met and "2 approved exports" in record.detail
    assert not stable.met  # nobody was supplied twice within the window
    _shipped(world, "SO-3", regular)
    record, stable = general_licence_conditions(organisation=world.organisation)
    assert stable.met and "1 of 2 end users" in stable.detail and "67%" in stable.detail


def test_readiness_page_starts_with_the_art_16_conditions(world):
    response = world.client("manager").get(reverse("icp:readiness"), HTTP_ACCEPT_LANGUAGE="en")
    labels = [str(check.label) for check in response.context["checks"]]
    assert "A record of dual-use exports" in labels[0]
    assert "Relatively stable export channels" in labels[1]
    assert "Relatively stable end users" in labels[2]
    # Art. 16 (four), Art. 20 (three questions) and the nine elements:
    # tests/icp/test_licence_pack_readiness.py.
    assert response.context["total"] == 16


def test_the_manual_and_audit_dates_are_the_organisation_s_local_dates(world):
    """A manual made or an audit signed off before 08:00 in Beijing is still in the previous
    day in UTC: the cards show the local date (and count the next audit from it)."""
    from audits.models import Audit
    from icp.models import ManualVersion
    from tests.icp.routes_manual import _version
    from tests.icp.test_for_you import _signed_off_audit

    early_morning = datetime.datetime(2026, 12, 7, 20, 30, tzinfo=datetime.UTC)  # 04:30, 8 Dec
    version = _version(world)
    ManualVersion.objects.filter(pk=version.pk).update(created_at=early_morning)
    assert "2026-12-08" in str(_status(world.organisation, "E9").headline)
    audit = _signed_off_audit(world)
    Audit.objects.filter(pk=audit.pk).update(signed_off_at=early_morning)
    status = _status(world.organisation, "E7")
    assert "2026-12-08" in str(status.headline)
    assert status.next_due == datetime.date(2027, 12, 8)
