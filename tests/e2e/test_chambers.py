"""A chamber of commerce invites a company, the company joins and shares its status, the
chamber publishes a regulatory update, and the company's people see it on their overview and
in the notification centre; the chamber's members' view shows the company's programme."""

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.chambers.factories import chamber_with_staff
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chamber_journey(page, browser, live_server, world, reference):
    chamber_with_staff()
    log_in(page, "manager@chamber.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=chamber-panel]")
    page.goto("/chamber/")

    # A typo in the credit code: a clear message, the typed code kept.
    page.fill("input[name=credit_code]", "91320594MA1MXK7Q0X")
    page.click("[data-testid=invite-submit]")
    page.wait_for_selector(".invalid-feedback")
    assert page.input_value("input[name=credit_code]") == "91320594MA1MXK7Q0X"
    page.fill("input[name=credit_code]", world.organisation.unified_social_credit_code)
    page.click("[data-testid=invite-submit]")
    page.wait_for_selector(".alert-success")
    assert "Acme Precision" in page.locator("[data-testid=chamber-members]").inner_text()

    # The company's management sees the invitation and joins, sharing its status.
    member = browser.new_context(
        locale="en-GB", base_url=live_server.url, reduced_motion="reduce"
    ).new_page()
    log_in(member, "executive@acme.test", TEST_PASSWORD)
    panel = member.locator("[data-testid=chamber-updates-panel]")
    panel.wait_for()
    assert "Test Chamber" in panel.inner_text()
    member.goto("/chambers/")
    member.check("input[name=shares_status]")
    member.click("[data-testid=accept]")
    member.wait_for_selector(".alert-success")

    # The chamber publishes a regulatory update.
    page.goto("/chamber/publications/")
    page.click("[data-testid=new-update]")
    page.fill("input[name=title_zh]", "《两用物项出口管制清单》公布")
    page.fill("input[name=title_en]", "Dual-use control list published")
    page.fill("input[name=announcement_number]", "商务部 海关总署 国家密码管理局公告2024年第51号")
    page.fill("input[name=announcement_date]", "2024-11-15")
    page.fill("input[name=effective_date]", "2024-12-01")
    page.fill("textarea[name=summary_zh]", "清单自2024年12月1日起施行。")
    page.fill("textarea[name=action_zh]", "请复核物料的管制编码归类。")
    page.fill("textarea[name=action_en]", "Check your items' classifications against the list.")
    page.click("[data-testid=publication-save]")
    page.wait_for_selector("[data-testid=publish]")
    page.click("[data-testid=publish]")
    page.wait_for_selector(".alert-success")
    assert page.locator("[data-testid=publication-status]").inner_text() == "Published"

    # The company's compliance manager sees it on the overview and in the notifications.
    manager = browser.new_context(
        locale="en-GB", base_url=live_server.url, reduced_motion="reduce"
    ).new_page()
    log_in(manager, "manager@acme.test", TEST_PASSWORD)
    panel = manager.locator("[data-testid=chamber-updates-panel]")
    panel.wait_for()
    assert "Dual-use control list published" in panel.inner_text()
    manager.goto("/records/notifications/")
    notifications = manager.locator("[data-testid=notifications]").inner_text()
    assert "公告2024年第51号" in notifications
    manager.goto("/")
    manager.locator("[data-testid=chamber-updates-panel] a", has_text="Dual-use").click()
    manager.wait_for_selector("[data-testid=member-action]")
    assert "classifications" in manager.locator("[data-testid=member-action]").inner_text()

    # The chamber's members' view shows the company's programme status.
    page.goto("/chamber/members/")
    rows = page.locator("[data-testid=member-row]")
    assert rows.count() == 1
    assert "Acme Precision" in rows.first.inner_text()
    assert "of 16 met" in rows.first.inner_text()
