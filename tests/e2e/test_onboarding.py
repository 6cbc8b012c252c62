"""A new organisation's compliance manager walks the getting-started path: the company details
(with a wrong credit code first), the compliance body set aside for later and taken up again,
the policy statement drafted from the template, and the first risk assessment by questions
(an unanswered question first), with the progress on the getting-started page."""

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _state(page, step):
    return page.locator(f"[data-testid=step-{step}] [data-testid=state]").inner_text()


def test_onboarding_journey(page, world, reference):
    organisation = world.organisation
    organisation.address_zh = ""  # a new organisation: only its name is known
    organisation.save()
    credit_code = organisation.unified_social_credit_code

    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=onboarding-panel]")
    page.click("[data-testid=onboarding-panel] a")
    page.wait_for_selector("[data-testid=onboarding-progress]")
    assert "0 of 7 steps done" in page.inner_text("[data-testid=onboarding-progress]")
    assert _state(page, "company") == "To do"

    # 1. Company details: a mistyped credit code is refused and kept as typed.
    page.click("[data-testid=step-company] a")
    page.fill("input[name=address_zh]", "江苏省苏州市工业园区星湖街1号")
    page.fill("input[name=unified_social_credit_code]", "91320594MA1MXK7Q0X")
    page.click("[data-testid=save]")
    page.wait_for_selector(".invalid-feedback")
    assert page.input_value("input[name=unified_social_credit_code]") == "91320594MA1MXK7Q0X"
    assert page.input_value("input[name=address_zh]") == "江苏省苏州市工业园区星湖街1号"
    page.fill("input[name=unified_social_credit_code]", credit_code)
    page.click("[data-testid=save]")
    page.wait_for_selector(".alert-success")
    page.goto("/getting-started/")
    assert _state(page, "company") == "Done"
    assert "1 of 7 steps done" in page.inner_text("[data-testid=onboarding-progress]")

    # 2. The compliance body: set aside for now, then taken up again.
    page.click("[data-testid=step-organisation] button:has-text('Skip for now')")
    page.wait_for_selector("[data-testid=step-organisation] button:has-text('Take up again')")
    assert _state(page, "organisation") == "Set aside"
    page.click("[data-testid=step-organisation] button:has-text('Take up again')")
    page.wait_for_selector("[data-testid=step-organisation] button:has-text('Skip for now')")
    assert _state(page, "organisation") == "To do"
    page.click("[data-testid=step-organisation] button:has-text('Skip for now')")
    page.wait_for_selector("[data-testid=step-organisation] button:has-text('Take up again')")

    # 3. The policy statement, drafted from the template.
    page.click("[data-testid=step-policy] a")
    page.click("[data-testid=policy-start]")
    assert "出口管制法" in page.input_value("textarea[name=body_zh]")
    page.fill("input[name=signatory_name]", "刘建国")
    page.fill("input[name=signatory_title]", "总经理 / General Manager")
    page.click("[data-testid=policy-save]")
    page.wait_for_selector("[data-testid=policy-submit]")
    page.goto("/getting-started/")
    assert _state(page, "policy") == "Done"

    # 4. The first risk assessment by questions: one left unanswered, the others are kept.
    page.click("[data-testid=step-risk] a")
    page.check("[data-testid=question-products] input[value=listed]")
    page.check("[data-testid=question-destinations] input[value=mixed]")
    page.check("[data-testid=question-technology] input[value=some]")
    page.check("[data-testid=question-partners] input[value=distributors]")
    page.click("button[type=submit]:has-text('Start the risk register')")
    page.wait_for_selector("[data-testid=question-controls] .text-danger")
    assert page.is_checked("[data-testid=question-products] input[value=listed]")
    assert page.is_checked("[data-testid=question-partners] input[value=distributors]")
    page.check("[data-testid=question-controls] input[value=partial]")
    page.click("button[type=submit]:has-text('Start the risk register')")
    page.wait_for_selector(".alert-success")
    assert "Controlled items exported without a licence" in page.content()

    page.goto("/getting-started/")
    assert "3 of 7 steps done" in page.inner_text("[data-testid=onboarding-progress]")
    assert _state(page, "risk") == "Done"
    assert _state(page, "organisation") == "Set aside"
    assert _state(page, "items") == "To do"
