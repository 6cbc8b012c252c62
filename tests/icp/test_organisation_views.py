"""E2 pages: the chart, the warnings, the forms, and fixed query counts with 200 positions."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.i18n import localised
from icp.models import ComplianceBody, Position, SodRule
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.icp.factories_organisation import (
    ComplianceBodyFactory,
    PositionFactory,
    SodRuleFactory,
)

pytestmark = pytest.mark.django_db


def _organisation_with_conflict(world):
    committee = ComplianceBodyFactory(
        organisation=world.organisation, committee=True, name_zh="出口管制合规委员会"
    )
    department = ComplianceBodyFactory(
        organisation=world.organisation, name_zh="合规部", parent=committee
    )
    chair = PositionFactory(
        body=committee, title_zh="主任委员", holder_name="张伟 副总经理", is_head=True
    )
    manager = PositionFactory(
        body=department,
        title_zh="出口管制合规经理",
        holder=world.users["manager"],
        deputy=world.users["staff"],
        reports_to=chair,
        may_stop_exports=True,
    )
    PositionFactory(
        body=department,
        title_zh="合规专员",
        holder=world.users["auditor"],
        reports_to=manager,
        duty_codes=[],
    )
    sales = PositionFactory(
        body=committee,
        title_zh="销售订单审批人",
        holder=world.users["staff"],
        duty_codes=["sales_approval"],
    )
    SodRuleFactory(organisation=world.organisation, code="sales_approver_not_compliance_reviewer")
    return manager, sales


def test_the_chart_nests_bodies_and_positions_and_warns_of_the_conflict(world, reference):
    manager, _sales = _organisation_with_conflict(world)
    response = world.client("executive").get(reverse("icp:organisation_home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="org-chart"' in html
    assert html.count('data-testid="chart-body"') == 2
    assert html.count('data-testid="chart-position"') == 4
    chart = response.context["chart"]
    assert [node.body.name_zh for node in chart] == ["出口管制合规委员会"]
    department = chart[0].children[0]
    assert department.positions[0].position == manager
    assert department.positions[0].reports_elsewhere
    assert [child.position.title_zh for child in department.positions[0].children] == ["合规专员"]
    assert 'data-testid="sod-warning"' in html
    rule = SodRule.objects.get(organisation=world.organisation)
    assert rule.get_absolute_url() in html and "sales_approver_not_compliance_reviewer" not in html
    assert reverse("icp:element_detail", args=["E2"]) in html


def test_no_warning_without_conflicts(world, reference):
    ComplianceBodyFactory(organisation=world.organisation)
    html = world.client("manager").get(reverse("icp:organisation_home")).content.decode()
    assert 'data-testid="sod-warning"' not in html


def test_manager_records_a_body_and_a_position_through_the_forms(world, reference):
    client = world.client("manager")
    client.post(
        reverse("icp:compliance_body_create"),
        {"kind": "department", "name_zh": "合规部", "name_en": "Compliance", "order": 1},
    )
    body = ComplianceBody.objects.get(organisation=world.organisation)
    assert body.history.first().history_user == world.users["manager"]
    response = client.post(
        reverse("icp:position_create"),
        {
            "body": body.pk,
            "title_zh": "出口管制合规经理",
            "commitment": "full_time",
            "holder": world.users["manager"].pk,
            "deputy": world.users["staff"].pk,
            "may_stop_exports": "on",
            "duty_codes": ["compliance_review", "screening_decision"],
            "order": 0,
            "is_active": "on",
        },
    )
    position = Position.objects.get(organisation=world.organisation)
    assert response.status_code == 302 and response.url == position.get_absolute_url()
    assert position.may_stop_exports and position.deputy == world.users["staff"]
    assert position.duty_codes == ["compliance_review", "screening_decision"]


def test_the_position_form_refuses_a_member_of_another_organisation(world, reference):
    body = ComplianceBodyFactory(organisation=world.organisation)
    response = world.client("manager").post(
        reverse("icp:position_create"),
        {
            "body": body.pk,
            "title_zh": "合规经理",
            "commitment": "part_time",
            "holder": world.users["outsider"].pk,
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert not Position.objects.exists()


def test_saving_a_conflicting_position_warns(world, reference):
    _manager, sales = _organisation_with_conflict(world)
    client = world.client("manager")
    response = client.get(reverse("icp:position_detail", args=[sales.pk]))
    assert 'data-testid="sod-warning"' in response.content.decode()
    response = client.post(
        reverse("icp:position_update", args=[sales.pk]),
        {
            "body": sales.body_id,
            "title_zh": sales.title_zh,
            "commitment": "part_time",
            "holder": world.users["staff"].pk,
            "duty_codes": ["sales_approval"],
            "order": 0,
            "is_active": "on",
        },
        follow=True,
    )
    assert "Segregation of duties" in response.content.decode()


def test_recommended_rules_button_and_rule_pages(world, reference):
    client = world.client("manager")
    html = client.get(reverse("icp:sod_rule_list")).content.decode()
    assert 'data-testid="install-recommended"' in html
    client.post(reverse("icp:sod_rules_install"))
    assert SodRule.objects.for_organisation(world.organisation).count() == 3
    rule = SodRule.objects.get(code="sales_approver_not_compliance_reviewer")
    response = client.get(rule.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and rule.name_en in html
    assert "sales_approver_not_compliance_reviewer" not in html
    # The code is neither shown nor changed through the form.
    response = client.post(
        reverse("icp:sod_rule_update", args=[rule.pk]),
        {
            "code": "renamed",
            "kind": "duties",
            "name_zh": rule.name_zh,
            "duty_a": "sales_approval",
            "duty_b": "compliance_review",
            "is_active": "on",
        },
    )
    rule.refresh_from_db()
    assert rule.code == "sales_approver_not_compliance_reviewer"


def test_auditors_read_but_see_no_edit_buttons(world, reference):
    _manager, sales = _organisation_with_conflict(world)
    html = world.client("auditor").get(sales.get_absolute_url()).content.decode()
    assert reverse("icp:position_update", args=[sales.pk]) not in html


def _two_hundred_positions(world):
    body = ComplianceBodyFactory(organisation=world.organisation)
    SodRuleFactory(organisation=world.organisation, code="sales_approver_not_compliance_reviewer")
    positions = []
    for index in range(200):
        member = MembershipFactory(organisation=world.organisation, user=UserFactory()).user
        positions.append(
            PositionFactory(
                body=body,
                holder=member,
                deputy=world.users["staff"] if index % 40 == 0 else None,
                reports_to=positions[index // 2] if positions else None,
                duty_codes=["sales_approval"] if index % 50 == 0 else ["compliance_review"],
            )
        )
    return positions


def test_chart_query_count_with_200_positions(world, reference, django_assert_max_num_queries):
    _two_hundred_positions(world)
    client = world.client("manager")
    client.get(reverse("icp:organisation_home"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("icp:organisation_home"))
    assert response.content.decode().count('data-testid="chart-position"') == 200
    assert response.context["conflicts"]


def test_position_list_and_detail_query_counts(world, reference, django_assert_max_num_queries):
    positions = _two_hundred_positions(world)
    client = world.client("auditor")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("icp:position_list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(reverse("icp:position_list"), {"export": "csv"})
        b"".join(response.streaming_content)
    with django_assert_max_num_queries(25):
        response = client.get(positions[0].get_absolute_url())
    assert response.status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(reverse("icp:sod_rule_list"))
    assert response.status_code == 200


def test_body_detail_query_count(world, reference, django_assert_max_num_queries):
    positions = _two_hundred_positions(world)
    client = world.client("manager")
    client.get(reverse("icp:organisation_home"))
    with django_assert_max_num_queries(16):
        response = client.get(positions[0].body.get_absolute_url())
    assert len(response.context["positions"]) == 200


def test_recommended_rules_are_named_in_the_readers_language_not_by_code(world, reference):
    """The offer and the confirmation name no rule by its English code (a Chinese page showed
    `sales_approver_not_compliance_reviewer` and the like)."""
    client = world.client("manager")
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("icp:sod_rule_list")).content.decode()
    offer = html.split('data-testid="missing-recommended"', 1)[1].split("</div>", 1)[0]
    assert "销售审批人不得同时担任该笔交易的合规审查人" in offer
    assert "sales_approver_not_compliance_reviewer" not in offer
    response = client.post(reverse("icp:sod_rules_install"), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "3" in message
    assert "sales_approver" not in message and "screening_decider" not in message


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize(
    ("language", "deputy", "asides"),
    [
        ("en", "Deputy: {staff}", ["{manager} (deputy)", "{sales} (holder)"]),
        ("zh-hans", "副职（B角）：{staff}", ["{manager}（副职（B角））", "{sales}（任职人）"]),
    ],
)
def test_the_chart_punctuates_labels_and_asides_in_the_readers_language(
    world, reference, language, deputy, asides
):
    """A Chinese chart showed "副职（B角）: 王磊" and "合规负责人 (副职（B角）)"."""
    manager, sales = _organisation_with_conflict(world)
    client = world.client("manager")
    client.cookies["django_language"] = language
    text = _visible(client.get(reverse("icp:organisation_home")).content.decode())
    with translation.override(language):
        titles = {"manager": localised(manager, "title"), "sales": localised(sales, "title")}
    assert deputy.format(staff=world.users["staff"]) in text
    for aside in asides:
        assert aside.format(**titles) in text


def test_a_rule_written_in_the_form_is_known_by_its_name_not_a_code(world, reference):
    """Nobody types or reads a rule's code: the service keys the rule itself, and the list,
    the rule's page and the conflicts name it."""
    client = world.client("manager")
    form = client.get(reverse("icp:sod_rule_create")).content.decode()
    assert 'name="code"' not in form
    response = client.post(
        reverse("icp:sod_rule_create"),
        {
            "kind": "duties",
            "name_zh": "物流放行人不得同时担任筛查判定人",
            "duty_a": "shipment_release",
            "duty_b": "screening_decision",
            "is_active": "on",
        },
    )
    rule = SodRule.objects.get(organisation=world.organisation)
    assert response.status_code == 302 and rule.code == "rule-1"
    for url in (reverse("icp:sod_rule_list"), rule.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "物流放行人不得同时担任筛查判定人" in html
        assert "rule-1" not in html
