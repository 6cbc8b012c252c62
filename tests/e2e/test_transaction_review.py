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


PATH_QUESTIONS = (
    "temporary_control",
    "national_security",
    "wmd",
    "terrorism",
    "mofcom_notified",
    "military_end_use",
    "party_control_list",
    "party_watch_list",
)


def _answer_path(page, answers: dict, skip=()) -> None:
    """Choose an answer for every question on the path page ("no" unless told)."""
    for name in PATH_QUESTIONS:
        if name in skip:
            continue
        value = answers.get(name, "no")
        radio = page.locator(f"[data-testid=path-form] input[name={name}][value={value}]")
        if radio.count():
            radio.check()


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

    # The licensing decision path of the line: every question "no" ends in "no licence
    # needed", which becomes the licence decision.
    line = transaction.lines.get()
    page.click(f"[data-testid=path-link-{line.pk}]")
    page.wait_for_selector("[data-testid=path-form]")
    _answer_path(page, {})
    page.click("[data-testid=path-walk]")
    page.wait_for_selector("[data-testid=path-outcome-label]")
    assert "《两用物项出口管制条例》第十四条" in page.inner_text("[data-testid=path-outcome]")
    page.goto(transaction.get_absolute_url())
    page.wait_for_selector("[data-testid=check-licence][data-status=ok]")

    page.screenshot(path="test-results/e2e-transaction-review-zh.png", full_page=True)
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=approval]")
    assert page.locator("[data-testid=approval]").is_visible()
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED


def test_a_us_military_end_user_ends_the_path_in_prohibited(page, world, reference):
    staff = world.users["staff"]
    transaction = transaction_create(
        organisation=world.organisation,
        user=staff,
        reference="SO-E2E-US",
        destination_country="US",
        end_use="Gimbal position feedback in airborne systems",
    )
    transaction_line_add(
        transaction=transaction,
        user=staff,
        item=classified_item(world, listed=True),
        quantity=4,
        value=3800,
    )
    line = transaction.lines.get()
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto(transaction.get_absolute_url())
    page.click(f"[data-testid=path-link-{line.pk}]")
    page.wait_for_selector("[data-testid=path-form]")
    # Leave the US question unanswered first: the page says so and keeps the other answers.
    _answer_path(page, {}, skip={"military_end_use"})
    page.click("[data-testid=path-walk]")
    page.wait_for_selector(
        "[data-testid=path-form] .invalid-feedback, [data-testid=path-form] .is-invalid"
    )
    assert page.locator("input[name=temporary_control][value=no]").is_checked()
    _answer_path(page, {"military_end_use": "yes"})
    page.click("[data-testid=path-walk]")
    page.wait_for_selector("[data-testid=path-outcome-label]")
    assert page.inner_text("[data-testid=path-outcome-label]").strip() == "Prohibited"
    assert "商务部公告2024年第46号" in page.inner_text("[data-testid=path-outcome]")
    page.screenshot(path="test-results/e2e-licence-path-prohibited.png", full_page=True)
