"""Chamber pages: the members' view, invitations, answers, and what members see."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chambers.models import ChamberMembership, ChamberMembershipStatus
from chambers.selectors import MIN_ANONYMOUS_GROUP, members_view
from icp.selectors.licence_readiness import general_licence_checks
from tests.accounts.factories import OrganisationFactory
from tests.chambers.factories import (
    ChamberMembershipFactory,
    PublicationFactory,
    chamber_with_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chamber(world):
    return chamber_with_staff()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_members_view_shows_the_consenting_member_only(chamber, world, reference):
    _chamber, users = chamber
    ChamberMembershipFactory(organisation=_chamber.organisation, member=world.organisation)
    ChamberMembershipFactory(
        organisation=_chamber.organisation, member=world.other_organisation, shares_status=False
    )
    response = _client(users["manager"]).get(reverse("chambers:members_view"))
    content = response.content.decode()
    assert response.status_code == 200
    assert world.organisation.name in content
    assert world.other_organisation.name not in content
    view = response.context["view"]
    assert [m.membership.member for m in view.sharing] == [world.organisation]
    assert len(view.sharing[0].statuses) == 9
    # The member's readiness as its own readiness page counts it (16 checks, not the nine elements).
    own = general_licence_checks(organisation=world.organisation)
    assert (view.sharing[0].readiness_met, view.sharing[0].readiness_total) == (own.met, own.total)
    assert own.total == 16
    # One member that does not share: too few for figures that would not single it out.
    assert view.others.count == 1 and not view.others.shown
    assert 'data-testid="members-figures-hidden"' in content


def test_figures_for_members_that_do_not_share_from_the_minimum_group(chamber, reference):
    _chamber, _users = chamber
    for _n in range(MIN_ANONYMOUS_GROUP):
        ChamberMembershipFactory(
            organisation=_chamber.organisation,
            member=OrganisationFactory(),
            shares_status=False,
        )
    ChamberMembershipFactory(
        organisation=_chamber.organisation, member=OrganisationFactory(), invited=True
    )
    view = members_view(organisation=_chamber.organisation)
    assert view.sharing == []
    assert view.others.shown and view.others.count == MIN_ANONYMOUS_GROUP
    assert view.invited == 1
    # Empty programmes: nothing in order, no audits; the figures are counts, not names.
    assert set(view.others.elements_ok) == {f"E{n}" for n in range(1, 10)}
    assert view.others.audited_last_year == 0
    assert view.others.readiness_average == 0
    assert view.others.readiness_total == 16


def test_an_enterprise_has_no_chamber_pages(world):
    response = _client(world.users["manager"]).get(reverse("chambers:members_view"))
    assert response.status_code == 404


def test_invite_with_an_unknown_code_keeps_the_input_and_changes_nothing(chamber):
    _chamber, users = chamber
    response = _client(users["manager"]).post(
        reverse("chambers:home"), {"credit_code": "91320594MA1MXK7Q0X"}
    )
    assert response.status_code == 200
    assert "No organisation with this unified social credit code" in response.content.decode()
    assert 'value="91320594MA1MXK7Q0X"' in response.content.decode()
    assert not ChamberMembership.objects.exists()


def test_member_joins_sharing_its_status_from_its_page(chamber, world):
    _chamber, _users = chamber
    membership = ChamberMembershipFactory(
        organisation=_chamber.organisation, member=world.organisation, invited=True
    )
    client = _client(world.users["executive"])
    page = client.get(reverse("chambers:my_chambers")).content.decode()
    assert _chamber.organisation.name in page
    response = client.post(
        reverse("chambers:membership_accept", args=[membership.pk]), {"shares_status": "on"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == ChamberMembershipStatus.ACTIVE and membership.shares_status


def test_members_see_the_update_on_their_overview_and_can_read_it(chamber, world, reference):
    _chamber, _users = chamber
    ChamberMembershipFactory(organisation=_chamber.organisation, member=world.organisation)
    update = PublicationFactory(organisation=_chamber.organisation, title_en="Control list change")
    response = _client(world.users["manager"]).get(reverse("icp:overview"))
    content = response.content.decode()
    assert 'data-testid="chamber-updates-panel"' in content
    assert "Control list change" in content
    detail = _client(world.users["staff"]).get(reverse("chambers:update_detail", args=[update.pk]))
    assert detail.status_code == 200
    assert "请复核物料归类。" in detail.content.decode()  # what members should do
    # Another organisation, no member of the chamber, sees neither.
    outsider = _client(world.users["outsider"])
    assert "chamber-updates-panel" not in outsider.get(reverse("icp:overview")).content.decode()
    assert outsider.get(reverse("chambers:update_detail", args=[update.pk])).status_code == 404


def test_a_chamber_publishes_a_draft_from_its_page(chamber, world):
    _chamber, users = chamber
    client = _client(users["manager"])
    response = client.post(
        reverse("chambers:publication_create"),
        {"kind": "regulatory_update", "title_zh": "清单调整"},
    )
    assert response.status_code == 200  # the announcement's details are missing
    assert "Give the announcement&#x27;s number." in response.content.decode()
    assert 'value="清单调整"' in response.content.decode()


PER_MEMBER_QUERIES = 35  # programme_overview + last audit of one member


def test_members_view_costs_a_fixed_number_of_queries_per_member(
    chamber, reference, django_assert_max_num_queries
):
    """The view reads each sharing member's programme through the programme's selectors,
    whose query count is fixed per organisation: the page grows by member, never by records."""
    _chamber, users = chamber
    client = _client(users["manager"])
    ChamberMembershipFactory(organisation=_chamber.organisation, member=OrganisationFactory())

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("chambers:members_view"))
    ChamberMembershipFactory(organisation=_chamber.organisation, member=OrganisationFactory())
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("chambers:members_view"))
    per_member = len(two) - len(one)
    assert 0 < per_member <= PER_MEMBER_QUERIES
    for _n in range(2):
        ChamberMembershipFactory(organisation=_chamber.organisation, member=OrganisationFactory())
    with django_assert_max_num_queries(len(one) + 3 * PER_MEMBER_QUERIES):
        client.get(reverse("chambers:members_view"))


def test_members_view_in_chinese(chamber, world, reference):
    """Needs the Chinese catalogue with this app's strings (merged from the fills file)."""
    _chamber, users = chamber
    ChamberMembershipFactory(organisation=_chamber.organisation, member=world.organisation)
    client = _client(users["manager"])
    client.cookies["django_language"] = "zh-hans"
    content = client.get(reverse("chambers:members_view")).content.decode()
    assert "共享状态的会员" in content
    assert "艾克米精密机械有限公司" in content


def test_the_chamber_panel_is_for_those_who_can_open_its_pages(chamber, reference):
    _chamber, users = chamber
    manager_page = _client(users["manager"]).get(reverse("icp:overview")).content.decode()
    staff_page = _client(users["staff"]).get(reverse("icp:overview")).content.decode()
    assert 'data-testid="chamber-panel"' in manager_page
    assert 'data-testid="chamber-panel"' not in staff_page
