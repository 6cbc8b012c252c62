"""A compliance manager invites a colleague by e-mail; the colleague opens the link from the
mail, sets a password and logs in with the role they were given."""

import re

import pytest
from django.core import mail

from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Quartz-Lantern-1987"


def test_manager_invites_and_the_invitee_joins_with_the_role(
    page, browser, live_server, world, reference
):
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/accounts/members/")
    page.click("[data-testid=invite-member]")
    page.fill("input[name=email]", "Li.Na@Acme.test")
    page.select_option("select[name=role]", "auditor")
    page.fill("input[name=job_title]", "内审专员")
    page.click("[data-testid=send-invitation]")
    page.wait_for_url("**/accounts/members/")
    assert "li.na@acme.test" in page.locator("[data-testid=invitation-table]").inner_text()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)
    # The link points at the server and port the manager used.
    assert link.startswith(page.url.split("/accounts/")[0])

    invitee = browser.new_context(
        locale="en-GB", base_url=live_server.url, reduced_motion="reduce"
    ).new_page()
    invitee.goto(link)
    invitee.fill("input[name=full_name]", "李娜 Li Na")
    invitee.fill("input[name=password1]", "short")
    invitee.fill("input[name=password2]", "short")
    invitee.click("[data-testid=accept-invitation]")
    invitee.wait_for_selector(".invalid-feedback, .errorlist")
    assert invitee.input_value("input[name=full_name]") == "李娜 Li Na"
    invitee.fill("input[name=password1]", NEW_PASSWORD)
    invitee.fill("input[name=password2]", NEW_PASSWORD)
    invitee.click("[data-testid=accept-invitation]")
    invitee.wait_for_url("**/accounts/login/")
    assert "Log in with li.na@acme.test" in invitee.content()

    log_in(invitee, "li.na@acme.test", NEW_PASSWORD)
    invitee.wait_for_selector("[data-testid=overview-title]")
    # An auditor: reads the members list, cannot invite.
    invitee.goto("/accounts/members/")
    table = invitee.locator("[data-testid=member-table]").inner_text()
    assert "li.na@acme.test" in table and "Auditor" in table
    assert invitee.locator("[data-testid=invite-member]").count() == 0

    # The link was single-use.
    invitee.goto(link)
    invitee.wait_for_selector("[data-testid=invitation-invalid]")
    invitee.context.close()
