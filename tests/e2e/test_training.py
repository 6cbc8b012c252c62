"""The E6 journey in the browser: the compliance manager adds a course from the course library, a
member of staff reads the material, fails the quiz once, passes it on the second try, and the
course shows as completed on their training page with a certificate; the manager sees the
attempts on the course."""

import pytest

from icp.services.training_library import course_library
from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _answer(page, *, wrong: int):
    for index, question in enumerate(course_library().get("ec_basics").questions):
        choice = (
            (question.answer + 1) % len(question.options_en) if index < wrong else question.answer
        )
        page.check(f"input[name={question.code}][value='{choice}']")
    page.click("[data-testid=quiz-form] button[type=submit]")
    page.wait_for_selector("[data-testid=quiz-result]")


def test_library_course_material_quiz_and_certificate(page, world, reference):
    # Ms Chen adds the basics course from the library.
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/training/library/")
    card = page.locator(
        "[data-testid=course-library] .card", has_text="Dual-use export control basics"
    )
    assert "pass mark 80" in card.inner_text()
    page.click("form[action$='/ec_basics/add/'] button")
    page.wait_for_selector("text=The course was added to your courses.")
    course_url = page.url
    page.context.clear_cookies()

    # Mr Wang from sales finds it on his training page and reads the material.
    log_in(page, "staff@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/training/mine/")
    page.click("[data-testid=my-training] >> text=Material")
    page.wait_for_selector("[data-testid=course-material] >> text=Keeping records")
    page.click("a.btn:has-text('Take the quiz')")
    page.wait_for_selector("[data-testid=quiz-form]")

    # He misses two questions and fails, then passes.
    _answer(page, wrong=2)
    result = page.locator("[data-testid=quiz-result]")
    assert "scored 60 out of 100" in result.inner_text()
    assert "Not passed yet" in result.inner_text()
    page.click("a.btn:has-text('Retake the quiz')")
    page.wait_for_selector("[data-testid=quiz-form]")
    _answer(page, wrong=0)
    assert "Passed: the course is completed." in page.inner_text("[data-testid=quiz-result]")
    certificate = page.get_attribute("a:has-text('Certificate')", "href")
    response = page.request.get(certificate)
    assert response.ok and response.headers["content-type"] == "application/pdf"

    page.goto("/training/mine/")
    row = page.locator("[data-testid=my-training] tr", has_text="Dual-use export control basics")
    assert "Current" in row.inner_text()
    page.context.clear_cookies()

    # Ms Chen sees both attempts on the course.
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto(course_url)
    attempts = page.locator("[data-testid=quiz-attempts] li")
    assert attempts.count() == 2
