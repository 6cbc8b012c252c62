"""The E1 journey in the browser: the compliance manager drafts the policy statement and sends it
for approval, management approves it, the manager publishes it, a member of staff acknowledges it
and the acknowledgement percentage goes up."""

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.context.clear_cookies()


def test_policy_draft_approval_publication_and_acknowledgement(page, world, reference):
    # Ms Chen drafts from the template and sends it for approval.
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/policy/")
    page.click("[data-testid=policy-start]")
    assert "出口管制法" in page.input_value("textarea[name=body_zh]")
    page.fill("input[name=signatory_name]", "刘建国")
    page.fill("input[name=signatory_title]", "总经理 / General Manager")
    page.click("[data-testid=policy-save]")
    page.wait_for_selector("[data-testid=policy-submit]")
    page.click("[data-testid=policy-submit]")
    page.wait_for_selector("[data-testid=approval-panel]")
    version_url = page.url
    _log_out(page)

    # Mr Liu reads what he signs and approves.
    log_in(page, "executive@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto(version_url)
    page.wait_for_selector("[data-testid=signature-block]:has-text('刘建国')")
    page.fill("textarea[name=comment] >> nth=0", "同意发布。")
    page.click("[data-testid=policy-approve]")
    page.wait_for_selector("[data-testid=fingerprint]")
    _log_out(page)

    # Ms Chen publishes it; nobody has acknowledged yet.
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto(version_url)
    page.click("[data-testid=policy-publish]")
    page.wait_for_selector("[data-testid=ack-percent]")
    page.goto("/policy/")
    assert page.inner_text("[data-testid=ack-percent]").strip() == "0 %"
    _log_out(page)

    # A member of staff reads and acknowledges it.
    log_in(page, "staff@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/policy/")
    page.click("[data-testid=acknowledge]")
    page.wait_for_selector("[data-testid=ack-done]")
    _log_out(page)

    # One of the four members has acknowledged: 25 %.
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/policy/")
    page.wait_for_selector("[data-testid=ack-percent]")
    assert page.inner_text("[data-testid=ack-percent]").strip() == "25 %"
    page.screenshot(path="test-results/e2e-policy-acknowledged.png", full_page=True)
