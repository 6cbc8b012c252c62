"""The segregation of duties (E2) bars an approval through the hook trade offers
(trade/hooks.py), which icp fills in ready(): trade itself does not import the E2 services."""

import pytest

from icp.receivers import segregation_of_duties_reasons
from tests.icp.factories_organisation import PositionFactory, SodRuleFactory
from tests.trade.factories_transactions import clean_transaction
from trade.hooks import _APPROVER_RULES
from trade.services.transaction import transaction_approvers

pytestmark = pytest.mark.django_db


def test_icp_registers_the_segregation_of_duties_as_an_approver_rule():
    assert segregation_of_duties_reasons in _APPROVER_RULES


def test_a_manager_holding_incompatible_positions_may_not_approve(world):
    manager = world.users["manager"]
    sales = PositionFactory(
        body__organisation=world.organisation, holder=manager, duty_codes=["sales_approval"]
    )
    review = PositionFactory(body=sales.body, holder=manager)
    SodRuleFactory(
        organisation=world.organisation, positions=True, position_a=sales, position_b=review
    )
    transaction = clean_transaction(world)
    check = next(a for a in transaction_approvers(transaction=transaction) if a.user == manager)
    assert not check.may_approve
    assert any(reason.startswith("Incompatible positions") for reason in check.reasons)
