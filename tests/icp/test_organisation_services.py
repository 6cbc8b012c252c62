"""E2 services: bodies, positions, SoD rules and the conflict checks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from icp.models import ComplianceBody, Duty, Position, SodRule
from icp.services.organisation import (
    RECOMMENDED_DUTY_RULES,
    compliance_body_create,
    compliance_body_update,
    position_create,
    position_update,
    sod_check,
    sod_conflicts,
    sod_conflicts_for_user,
    sod_rule_create,
    sod_rule_update,
    sod_rules_install_recommended,
)
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.icp.factories_organisation import (
    ComplianceBodyFactory,
    PositionFactory,
    SodRuleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(world):
    return world.organisation


@pytest.fixture
def users(world):
    return world.users


def _body(org, users, **fields):
    values = {"kind": ComplianceBody.Kind.DEPARTMENT, "name_zh": "合规部", "name_en": "Compliance"}
    return compliance_body_create(organisation=org, user=users["manager"], fields=values | fields)


def _position(org, users, body, **fields):
    values = {"body": body, "title_zh": "合规经理", "title_en": "Compliance manager"}
    return position_create(organisation=org, user=users["manager"], fields=values | fields)


# --- bodies -----------------------------------------------------------------------------------


def test_a_compliance_manager_records_a_committee_and_a_department_under_it(org, users):
    committee = _body(org, users, kind=ComplianceBody.Kind.COMMITTEE, name_zh="出口管制合规委员会")
    department = _body(org, users, parent=committee)
    assert department.parent == committee and department.organisation == org
    assert department.history.count() == 1


@pytest.mark.parametrize("persona", ["auditor", "executive", "staff", "outsider"])
def test_only_compliance_managers_change_the_organisation(org, users, persona):
    with pytest.raises(PermissionDenied):
        compliance_body_create(
            organisation=org, user=users[persona], fields={"kind": "committee", "name_zh": "委员会"}
        )


def test_a_body_cannot_report_to_itself_or_below_itself(org, users):
    top = _body(org, users, name_zh="委员会")
    child = _body(org, users, name_zh="合规部", parent=top)
    with pytest.raises(ValidationError) as error:
        compliance_body_update(body=top, user=users["manager"], fields={"parent": child})
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        compliance_body_update(body=top, user=users["manager"], fields={"parent": top})


def test_a_body_of_another_organisation_cannot_be_the_parent(org, users, other_organisation):
    foreign = ComplianceBodyFactory(organisation=other_organisation)
    with pytest.raises(ValidationError) as error:
        _body(org, users, parent=foreign)
    assert "parent" in error.value.message_dict


def test_body_names_are_unique_per_organisation(org, users):
    _body(org, users)
    with pytest.raises(ValidationError):
        _body(org, users)


# --- positions --------------------------------------------------------------------------------


def test_a_position_with_holder_deputy_authority_and_reporting_line(org, users):
    body = _body(org, users)
    head = _position(org, users, body, title_zh="合规委员会主任", holder_name="张伟 副总经理")
    manager = _position(
        org,
        users,
        body,
        holder=users["manager"],
        deputy=users["staff"],
        reports_to=head,
        may_stop_exports=True,
        duty_codes=[Duty.COMPLIANCE_REVIEW, Duty.COMPLIANCE_REVIEW],
        phone="0512-6688 1234",
        email="compliance@acme.test",
    )
    assert manager.reports_to == head and manager.may_stop_exports
    assert manager.duty_codes == ["compliance_review"]
    assert head.holder_display == "张伟 副总经理"
    assert manager.holder_display == str(users["manager"])


def test_the_deputy_must_not_be_the_holder(org, users):
    with pytest.raises(ValidationError) as error:
        _position(org, users, _body(org, users), holder=users["manager"], deputy=users["manager"])
    assert "deputy" in error.value.message_dict


def test_holder_and_deputy_must_be_members(org, users):
    with pytest.raises(ValidationError) as error:
        _position(org, users, _body(org, users), holder=users["outsider"])
    assert "holder" in error.value.message_dict
    former = MembershipFactory(organisation=org, is_active=False).user
    with pytest.raises(ValidationError) as error:
        _position(org, users, _body(org, users, name_zh="委员会"), deputy=former)
    assert "deputy" in error.value.message_dict


def test_a_holder_with_an_account_replaces_the_free_text_name(org, users):
    position = _position(org, users, _body(org, users), holder_name="张伟")
    position_update(position=position, user=users["manager"], fields={"holder": users["manager"]})
    position.refresh_from_db()
    assert position.holder_name == "" and position.holder == users["manager"]


def test_reporting_lines_cannot_loop(org, users):
    body = _body(org, users)
    top = _position(org, users, body, title_zh="主任")
    middle = _position(org, users, body, title_zh="经理", reports_to=top)
    with pytest.raises(ValidationError) as error:
        position_update(position=top, user=users["manager"], fields={"reports_to": middle})
    assert "reports_to" in error.value.message_dict


def test_unknown_duties_are_refused(org, users):
    with pytest.raises(ValidationError):
        _position(org, users, _body(org, users), duty_codes=["approve_everything"])


def test_position_changes_are_in_the_history(org, users):
    position = _position(org, users, _body(org, users))
    position_update(position=position, user=users["manager"], fields={"phone": "0512-1"})
    assert position.history.count() == 2


# --- SoD rules --------------------------------------------------------------------------------


def test_recommended_rules_install_once(org, users):
    created = sod_rules_install_recommended(organisation=org, user=users["manager"])
    assert {rule.code for rule in created} == {r["code"] for r in RECOMMENDED_DUTY_RULES}
    assert sod_rules_install_recommended(organisation=org, user=users["manager"]) == []
    assert SodRule.objects.for_organisation(org).count() == len(RECOMMENDED_DUTY_RULES)
    with pytest.raises(PermissionDenied):
        sod_rules_install_recommended(organisation=org, user=users["auditor"])


def test_a_position_rule_needs_two_different_positions(org, users):
    body = _body(org, users)
    a = _position(org, users, body, title_zh="销售审批")
    fields = {"code": "x", "kind": SodRule.Kind.POSITIONS, "name_zh": "分离", "position_a": a}
    with pytest.raises(ValidationError):
        sod_rule_create(organisation=org, user=users["manager"], fields=fields)
    with pytest.raises(ValidationError):
        sod_rule_create(organisation=org, user=users["manager"], fields=fields | {"position_b": a})


def test_a_duty_rule_needs_two_different_duties(org, users):
    fields = {
        "code": "x",
        "kind": SodRule.Kind.DUTIES,
        "name_zh": "分离",
        "duty_a": "sales_approval",
    }
    with pytest.raises(ValidationError):
        sod_rule_create(organisation=org, user=users["manager"], fields=fields)
    with pytest.raises(ValidationError):
        sod_rule_create(
            organisation=org, user=users["manager"], fields=fields | {"duty_b": "sales_approval"}
        )


def test_a_rules_code_never_changes(org, users):
    rule = SodRuleFactory(organisation=org, code="sales_approver_not_compliance_reviewer")
    with pytest.raises(ValidationError):
        sod_rule_update(rule=rule, user=users["manager"], fields={"code": "other"})
    sod_rule_update(rule=rule, user=users["manager"], fields={"name_en": "Renamed"})
    assert rule.history.count() == 2


# --- SoD detection ----------------------------------------------------------------------------


def test_one_person_holding_two_incompatible_positions_is_a_conflict(org, users):
    body = _body(org, users)
    sales = _position(org, users, body, title_zh="销售订单审批人", holder=users["staff"])
    review = _position(org, users, body, title_zh="合规审查员", deputy=users["staff"])
    rule = sod_rule_create(
        organisation=org,
        user=users["manager"],
        fields={
            "code": "sales_not_review",
            "kind": SodRule.Kind.POSITIONS,
            "name_zh": "销售审批与合规审查分离",
            "position_a": sales,
            "position_b": review,
        },
    )
    conflicts = sod_conflicts_for_user(organisation=org, user=users["staff"])
    assert [(c.rule, c.user) for c in conflicts] == [(rule, users["staff"])]
    assert set(conflicts[0].positions) == {sales, review}
    assert sod_conflicts_for_user(organisation=org, user=users["manager"]) == []
    # An inactive rule, or a vacated position, ends the conflict.
    sod_rule_update(rule=rule, user=users["manager"], fields={"is_active": False})
    assert sod_conflicts(organisation=org) == []


def test_positions_combining_incompatible_duties_are_a_conflict(org, users):
    SodRuleFactory(organisation=org, code="sales_approver_not_compliance_reviewer")
    body = _body(org, users)
    _position(
        org, users, body, title_zh="销售经理", holder=users["staff"], duty_codes=["sales_approval"]
    )
    review = _position(
        org,
        users,
        body,
        title_zh="合规经理",
        holder=users["manager"],
        deputy=users["staff"],
        duty_codes=["compliance_review"],
    )
    conflicts = sod_conflicts(organisation=org)
    assert [(c.code, c.user) for c in conflicts] == [
        ("sales_approver_not_compliance_reviewer", users["staff"])
    ]
    assert conflicts[0].duties == ("sales_approval", "compliance_review")
    assert review in conflicts[0].positions
    assert str(users["staff"]) in conflicts[0].message
    position_update(position=review, user=users["manager"], fields={"deputy": None})
    assert sod_conflicts(organisation=org) == []


def test_sod_check_for_transaction_duties(org, users):
    SodRuleFactory(organisation=org, code="sales_approver_not_compliance_reviewer")
    SodRuleFactory(organisation=org, code="inactive", is_active=False)
    SodRuleFactory(
        organisation=org, code="audit", duty_a="compliance_review", duty_b="programme_audit"
    )
    violations = sod_check(
        organisation=org,
        user=users["manager"],
        duty_codes=["sales_approval", "compliance_review"],
    )
    assert [v.code for v in violations] == ["sales_approver_not_compliance_reviewer"]
    assert (
        sod_check(organisation=org, user=users["manager"], duty_codes=["compliance_review"]) == []
    )
    with pytest.raises(ValueError):
        sod_check(organisation=org, user=users["manager"], duty_codes=["typo"])


def test_sod_check_ignores_other_organisations_rules(org, users, other_organisation):
    SodRuleFactory(organisation=other_organisation)
    assert (
        sod_check(
            organisation=org,
            user=users["manager"],
            duty_codes=["sales_approval", "compliance_review"],
        )
        == []
    )


def test_conflicts_with_200_positions_take_two_queries(org, users, django_assert_num_queries):
    SodRuleFactory(organisation=org, code="sales_approver_not_compliance_reviewer")
    body = ComplianceBodyFactory(organisation=org)
    for index in range(200):
        member = MembershipFactory(organisation=org, user=UserFactory()).user
        PositionFactory(
            body=body,
            holder=member,
            duty_codes=["sales_approval", "compliance_review"] if index % 50 == 0 else [],
        )
    with django_assert_num_queries(2):
        conflicts = sod_conflicts(organisation=org)
    assert len(conflicts) == 4
    assert Position.objects.for_organisation(org).count() == 200
