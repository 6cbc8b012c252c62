import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_logs_in_sees_the_dashboard_and_switches_to_chinese(page, world, reference):
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    assert page.locator("[data-testid=element-card-E1]").is_visible()
    assert page.locator("[data-testid=element-card-E9]").is_visible()

    page.click("[data-testid=language-switcher]")
    page.click("button[lang=zh-hans]")
    with translation.override("zh-hans"):
        title = gettext("Programme overview")
    page.wait_for_selector(f"[data-testid=overview-title]:has-text('{title}')")
    assert "拟定政策声明" in page.locator("[data-testid=element-card-E1]").inner_text()

    page.screenshot(path="test-results/e2e-overview-zh.png", full_page=True)
    page.click("[data-testid=element-card-E1] a")
    page.wait_for_url("**/policy/")


def test_wrong_password_keeps_the_user_out(page, world):
    log_in(page, "manager@acme.test", "not-the-password")
    page.wait_for_selector(".alert-danger, .invalid-feedback, .errorlist")
    assert "/accounts/login/" in page.url
