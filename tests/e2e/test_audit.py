"""Mr Wang's journey in the browser: he creates the audit, watches the checklist being
generated, answers an item with the keyboard (autosaved, it survives a reload) and raises a
finding from it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Audit, Finding
from tests.accounts.factories import TEST_PASSWORD
from tests.audits.factories import transactions_bulk
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_auditor_generates_answers_and_raises_a_finding(page, world, reference):
    transactions_bulk(world, 12)
    log_in(page, "auditor@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/audits/")
    page.click("[data-testid=audit-create]")
    page.fill("input[name=title_zh]", "2026年度出口管制内部审计")
    page.fill("input[name=title_en]", "2026 export-control internal audit")
    today = timezone.localdate()
    page.fill("input[name=period_start]", (today - datetime.timedelta(days=365)).isoformat())
    page.fill("input[name=period_end]", today.isoformat())
    page.fill("input[name=sample_size]", "5")
    page.click("[data-testid=audit-form] button[type=submit]")
    page.wait_for_selector("[data-testid=generate]")

    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=job-progress][data-status=succeeded]")
    assert "100%" in page.inner_text("[data-testid=job-progress] .progress-bar")
    audit = Audit.objects.get(organisation=world.organisation)
    assert audit.items.filter(kind="transaction").count() == 5 * 5

    page.click("[data-testid=open-checklist]")
    page.click("[data-testid=start-review]")
    page.wait_for_selector("[data-testid=answer-form]")
    assert page.inner_text("[data-testid=item-question]")
    page.keyboard.press("3")  # non-compliant
    page.click("textarea[name=comment]")
    # Wait for the save that carries the whole comment, not for any "Saved" (the answer's own
    # save shows it too): reloading before it lands left the comment only in the draft, and
    # the finding form, which takes its description from the saved comment, came up empty.
    with page.expect_response(
        lambda response: (
            "/autosave/" in response.url
            and "carries no date." in (response.request.post_data or "")
        )
    ):
        page.keyboard.type("政策声明未签署日期。 The statement carries no date.")
    page.wait_for_selector("[data-testid=autosave-status]:has-text('Saved')")
    expect(page.locator("[data-testid=autosave-status]")).not_to_contain_text("Saving")
    page.reload()
    assert page.input_value("textarea[name=comment]").endswith("carries no date.")
    assert page.is_checked("#answer-non_compliant")
    assert "1 of" in page.inner_text("[data-testid=audit-progress]")

    page.click("[data-testid=raise-finding]")
    page.fill("input[name=title]", "政策声明未注明日期 / Policy statement undated")
    page.select_option("select[name=severity]", "minor")
    page.click("[data-testid=finding-form] button[type=submit]")
    page.wait_for_selector("[data-testid=finding-title]:has-text('F01')")
    finding = Finding.objects.get(audit=audit)
    assert finding.item.answer == "non_compliant"
    assert finding.description.endswith("carries no date.")
