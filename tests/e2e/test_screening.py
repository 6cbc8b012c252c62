import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in
from tests.screening.factories import ScreeningListFactory, add_entity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_screens_a_chinese_name_and_clears_a_false_positive(page, world, reference):
    from screening.services.index import index_cache_clear

    index_cache_clear()
    uel = ScreeningListFactory(
        code="CN-UEL", name_zh="不可靠实体清单", name_en="Unreliable Entity List"
    )
    add_entity(
        uel,
        "UEL-HW",
        "华为技术有限公司",
        aliases=["HUAWEI TECHNOLOGIES CO., LTD."],
        countries=["CN"],
    )

    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.click("[data-testid=nav-screening]")
    page.fill("input[name=name]", "華為技術有限公司")
    page.select_option("select[name=country]", "CN")
    page.click("[data-testid=screen-submit]")

    hit = page.locator("[data-testid=hit]").first
    hit.wait_for()
    assert "华为技术有限公司" in hit.inner_text()
    assert "CN-UEL" in hit.inner_text()
    reasons = hit.locator("[data-testid=reasons]").inner_text()
    assert "country matches: CN" in reasons

    hit.locator("input[value=false_positive]").check()
    hit.locator("textarea[name=reason]").fill(
        "Different company: our customer is a Huawei reseller in Munich."
    )
    hit.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=adjudication]")
    assert "False positive" in page.locator("[data-testid=adjudication]").inner_text()
    page.screenshot(path="test-results/e2e-screening-false-positive.png", full_page=True)

    page.click("[data-testid=nav-screening]")
    page.wait_for_selector("[data-testid=queue-count]")
    assert page.locator("[data-testid=queue-count]").inner_text().strip() == "0"


def test_api_docs_page_renders_under_our_csp(page, world, reference):
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert "/api/v1/screen" in page.content()
    assert not [e for e in errors if "Content Security Policy" in e]
