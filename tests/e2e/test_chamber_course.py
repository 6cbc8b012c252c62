"""A chamber shares a course (material and quiz); a member's compliance manager adds it to the
company's courses, and a staff member reads the material and passes the quiz."""

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MATERIAL_EN = "## Keeping records\n\nExport records are kept for at least five years."
QUIZ_ZH = "资料至少保存多久？\n- 1年\n* 5年"
QUIZ_EN = "For how long at least are records kept?\n- 1 year\n* 5 years"


def test_chamber_course_journey(page, browser, live_server, world, reference):
    chamber, _users = chamber_with_staff()
    ChamberMembershipFactory(organisation=chamber.organisation, member=world.organisation)

    # The chamber writes the course and publishes it.
    log_in(page, "manager@chamber.test", TEST_PASSWORD)
    page.goto("/chamber/publications/")
    page.click("[data-testid=new-course]")
    page.fill("input[name=title_zh]", "资料保存")
    page.fill("input[name=title_en]", "Keeping records")
    page.fill("textarea[name=body_zh]", "## 资料保存\n\n出口资料保存不少于5年。")
    page.fill("textarea[name=body_en]", MATERIAL_EN)
    page.fill("textarea[name=quiz_zh]", QUIZ_ZH)
    page.fill("textarea[name=quiz_en]", QUIZ_EN)
    page.fill("input[name=pass_mark]", "100")
    page.click("[data-testid=publication-save]")
    page.wait_for_selector("[data-testid=shared-course]")
    page.click("[data-testid=publish]")
    page.wait_for_selector(".alert-success")

    # The member's compliance manager adds it to the company's courses.
    manager = browser.new_context(
        locale="en-GB", base_url=live_server.url, reduced_motion="reduce"
    ).new_page()
    log_in(manager, "manager@acme.test", TEST_PASSWORD)
    manager.goto("/chambers/")
    manager.locator("[data-testid=chamber-adoptables] a", has_text="Keeping records").click()
    manager.click("[data-testid=adopt]")
    manager.wait_for_selector("[data-testid=adopted]")

    # A staff member finds it on the training page, reads the material and passes the quiz.
    log_in(
        staff := browser.new_context(
            locale="en-GB", base_url=live_server.url, reduced_motion="reduce"
        ).new_page(),
        "staff@acme.test",
        TEST_PASSWORD,
    )
    staff.wait_for_selector("[data-testid=overview-title]")
    staff.goto("/training/mine/")
    staff.click("[data-testid=my-training] >> text=Material")
    staff.wait_for_selector("[data-testid=course-material] >> text=at least five years")
    staff.click("a.btn:has-text('Take the quiz')")
    staff.wait_for_selector("[data-testid=quiz-form]")
    staff.check("input[name=q1][value='1']")
    staff.click("[data-testid=quiz-form] button[type=submit]")
    assert "Passed: the course is completed." in staff.inner_text("[data-testid=quiz-result]")
