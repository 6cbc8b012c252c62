"""The E9 journey in the browser: Mr Liu (management) asks for the ICP manual in Chinese, watches
the progress bar reach the end, and downloads a PDF that is the organisation's manual."""

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in
from tests.icp.manual_fixtures import RARE_HOLDER, build_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_management_generates_and_downloads_the_chinese_manual(page, world, reference, tmp_path):
    build_programme(world)
    log_in(page, "executive@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/manual/")
    page.wait_for_selector("[data-testid=manual-none]")
    page.check("#language-zh-hans")
    # Tests run jobs eagerly, so the request itself renders the PDF here (with a worker, as in
    # production and `make run`, it returns at once and the bar fills while the page is open).
    page.click("[data-testid=manual-generate]", no_wait_after=True)
    page.wait_for_url("**/manual/?job=*", timeout=120000)
    # The progress bar follows the job until it has finished.
    bar = page.wait_for_selector("[data-testid=job-progress]")
    # Locator assertions, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(page.locator("[data-testid=job-progress]")).to_have_attribute(
        "data-status", "succeeded", timeout=120000
    )
    assert "100%" in bar.inner_text()
    with page.expect_download() as download_info:
        page.click("[data-testid=job-progress] .job-result")
    download = download_info.value
    assert download.suggested_filename == "icp-manual-acme-v1-zh.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "出口管制内部合规手册" in text and "合规政策声明" in text and RARE_HOLDER in text
    # The page now lists the version, up to date with the programme.
    page.goto("/manual/")
    page.wait_for_selector("[data-testid=manual-current]")
    assert "icp-manual" not in page.inner_text("[data-testid=manual-versions]")
    assert page.locator("[data-testid=manual-versions] tbody tr").count() == 1


def test_compliance_manager_puts_the_logo_on_the_cover(page, world, tmp_path):
    """Ms Chen opens the organisation details from the user menu, uploads the logo, sees it."""
    from accounts.demo import demo_logo

    logo = tmp_path / "logo.png"
    logo.write_bytes(demo_logo())
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.click("nav.navbar button:has(.bi-person-circle)")
    page.click("[data-testid=organisation-profile-link]")
    page.wait_for_selector("[data-testid=organisation-profile-form]")
    page.set_input_files("input[name=logo]", str(logo))
    page.click("[data-testid=organisation-profile-form] [data-testid=save]")
    image = page.wait_for_selector("[data-testid=organisation-logo]")
    expect(page.locator("[data-testid=organisation-logo]")).to_have_js_property("naturalWidth", 240)
    assert image.is_visible()
    assert "Organisation details saved." in page.inner_text(".alert-success")
