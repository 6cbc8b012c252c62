"""A chamber keeps a PRC list for its members: it adds the parties of an announcement, publishes
the new version with the announcement's number, date and status; a member company sees the
update on its overview, chooses to screen against the list and screens a party that hits it."""

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from tests.e2e.conftest import log_in
from tests.screening.factories import ScreeningListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chamber_publishes_a_list_update_and_a_member_screens_against_it(
    page, browser, live_server, world, reference
):
    from screening.services.index import index_cache_clear

    index_cache_clear()
    chamber, _users = chamber_with_staff()
    ChamberMembershipFactory(organisation=chamber.organisation, member=world.organisation)
    screening_list = ScreeningListFactory(
        organisation=chamber.organisation,
        code="JS-CN-CONTROL",
        name_zh="出口管制管控名单（商会维护）",
        name_en="Control list (kept by the chamber)",
    )

    # The chamber adds the parties of MOFCOM 2025 No. 51 as a new version of its list.
    log_in(page, "manager@chamber.test", TEST_PASSWORD)
    page.goto(f"/screening/lists/{screening_list.pk}/announcement/")
    page.fill("input[name=announcement]", "商务部公告2025年第51号")
    page.fill("input[name=announced_on]", "2025-09-26")
    page.fill(
        "textarea[name=names]",
        "Huntington Ingalls Industries, Inc.\nPlanate Management Group\nGlobal Dimensions LLC",
    )
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector(".alert-success")

    # It publishes the version to its members; a missing date keeps what was typed.
    page.goto("/chamber/lists/")
    page.select_option("select[name=screening_list]", str(screening_list.pk))
    page.fill("input[name=announcement_number]", "商务部公告2025年第51号")
    page.click("[data-testid=list-update-publish]")
    page.wait_for_selector(".invalid-feedback")
    assert page.input_value("input[name=announcement_number]") == "商务部公告2025年第51号"
    page.fill("input[name=announcement_date]", "2025-09-26")
    page.click("[data-testid=list-update-publish]")
    page.wait_for_selector(".alert-success")
    assert "商务部公告2025年第51号" in page.locator("[data-testid=list-updates]").inner_text()

    # The member's compliance manager sees the update on the overview and opts in.
    member = browser.new_context(
        locale="en-GB", base_url=live_server.url, reduced_motion="reduce"
    ).new_page()
    log_in(member, "manager@acme.test", TEST_PASSWORD)
    updates = member.locator("[data-testid=chamber-list-updates]")
    updates.wait_for()
    assert "商务部公告2025年第51号" in updates.inner_text()
    updates.locator("a").first.click()
    member.click("[data-testid=subscribe]")
    member.wait_for_selector(".alert-success")
    assert "screened against" in member.locator("[data-testid=shared-lists]").inner_text()

    # A party screened now hits the chamber's list, which the member reads but cannot change.
    member.click("[data-testid=nav-screening]")
    member.fill("input[name=name]", "Huntington Ingalls Industries")
    member.select_option("select[name=country]", "US")
    member.click("[data-testid=screen-submit]")
    hit = member.locator("[data-testid=hit]", has_text="JS-CN-CONTROL").first
    hit.wait_for()
    assert "Huntington Ingalls Industries" in hit.inner_text()
    member.goto(f"/screening/lists/{screening_list.pk}/")
    assert "kept by Test Chamber, read-only" in member.locator("main").inner_text()
    assert member.locator("[data-testid=announcement-add]").count() == 0
