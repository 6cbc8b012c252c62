"""A compliance manager takes an order staff submitted for review to approval in the browser, in
Chinese, and is first refused while the checklist is incomplete (the submitter never approves, so
staff submits)."""

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in
from tests.screening.factories import ScreeningListFactory, add_entity
from tests.trade.factories_transactions import classified_item, screened_party
from trade.models import PartyRole, TransactionState
from trade.services.transaction import (
    transaction_create,
    transaction_line_add,
    transaction_party_add,
    transaction_submit,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _draft(world):
    lists = ScreeningListFactory(
        code="CN-UEL", name_zh="不可靠实体清单", name_en="Unreliable Entity List"
    )
    add_entity(lists, "UEL-1", "Lockheed Martin Corporation", countries=["US"])
    staff = world.users["staff"]
    transaction = transaction_create(
        organisation=world.organisation,
        user=staff,
        reference="SO-E2E-1",
        destination_country="IT",
        end_use="Encoders for packaging machines built by the end user",
    )
    transaction_line_add(
        transaction=transaction, user=staff, item=classified_item(world), quantity=12, value=3600
    )
    customer = screened_party(world, name="Officine Meccaniche Brianza S.r.l.", country="IT")
    transaction_party_add(transaction=transaction, user=staff, party=customer, role=PartyRole.BUYER)
    transaction_party_add(
        transaction=transaction, user=staff, party=customer, role=PartyRole.END_USER
    )
    transaction_submit(transaction=transaction, user=staff)
    return transaction


def test_manager_takes_an_order_from_draft_to_approval_in_chinese(page, world, reference):
    transaction = _draft(world)
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.click("[data-testid=language-switcher]")
    page.click("button[lang=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")

    page.goto(transaction.get_absolute_url())
    page.wait_for_selector("[data-testid=checklist]")
    page.wait_for_selector("[data-testid=cannot-approve]")
    assert page.locator("[data-testid=check-red_flags]").get_attribute("data-status") == "open"
    assert page.locator("[data-testid=approve]").count() == 0

    # Answer every open question "no" (as the manager who checked them), then save once.
    selects = page.locator("select[form=red-flag-form]")
    for index in range(selects.count()):
        select = selects.nth(index)
        if not select.input_value():
            select.select_option("no")
    page.click("[data-testid=save-answers]")
    page.wait_for_selector("[data-testid=check-red_flags][data-status=ok]")

    page.select_option("[data-testid=licence-form] select[name=decision]", "not_controlled")
    page.click("[data-testid=licence-form] button")
    page.wait_for_selector("[data-testid=check-licence][data-status=ok]")

    page.screenshot(path="test-results/e2e-transaction-review-zh.png", full_page=True)
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=approval]")
    assert page.locator("[data-testid=approval]").is_visible()
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED
