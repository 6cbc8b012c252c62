"""The E3 journey in the browser: the compliance manager builds a risk assessment (risks with
likelihood, impact and mitigations, placed on the heat map), edits and removes risks,
management approves it, the manager starts next period's assessment from it and compares the
two, keeps the organisation's own destination risk, and reads the register in Chinese."""

import datetime

import pytest
from django.utils import timezone

from icp.models import DestinationRisk, RiskAssessment
from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "2026 export-control risk assessment"


def _log_out(page):
    page.context.clear_cookies()


def _cell(page, likelihood, impact):
    return page.inner_text(f"[data-testid=heat-map] td[data-cell='{likelihood}-{impact}']").strip()


def _row(page, key):
    return page.locator(f"[data-testid=risk-row][data-key='{key}']")


def _add_risk(
    page, owner, *, category, title, likelihood, impact, mitigation, residual, review, again
):
    page.select_option("select[name=category]", category)
    page.fill("input[name=title_en]", title)
    page.select_option("select[name=likelihood]", str(likelihood))
    page.select_option("select[name=impact]", str(impact))
    page.fill("textarea[name=mitigation_en]", mitigation)
    page.select_option("select[name=residual_likelihood]", str(residual[0]))
    page.select_option("select[name=residual_impact]", str(residual[1]))
    page.select_option("select[name=owner]", str(owner.pk))
    page.fill("input[name=review_date]", review)
    page.click("[data-testid=risk-save-another]" if again else "[data-testid=risk-save]")


def _open_risk(page, key):
    page.click(f"[data-testid=risk-row][data-key='{key}'] >> a >> nth=0")
    page.wait_for_selector("[data-testid=risk-review-date]")


def test_manager_builds_gets_approved_and_carries_forward_a_risk_assessment(page, world, reference):
    today = timezone.localdate()
    manager, executive = world.users["manager"], world.users["executive"]
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")

    # A new assessment for this year.
    page.goto("/risk/")
    page.click("[data-testid=assessment-new]")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=scope_en]", "Dual-use sensors sold to distributors in Asia.")
    page.click("[data-testid=assessment-save]")
    page.wait_for_selector("[data-testid=assessment-title]")
    assert page.inner_text("[data-testid=assessment-title]") == TITLE
    assert page.inner_text("[data-testid=assessment-status]") == "Draft"
    assert page.inner_text("[data-testid=assessment-date]") == today.isoformat()
    assert page.inner_text("[data-testid=approval]") == "Not yet approved by management"

    # Three risks, the first two with "Save and add another".
    page.click("[data-testid=risk-add]")
    _add_risk(
        page,
        manager,
        category="destinations",
        title="Diversion through transit hubs",
        likelihood=4,
        impact=5,
        mitigation="End-user statements and destination screening.",
        residual=(2, 3),
        review="2027-03-31",
        again=True,
    )
    page.wait_for_selector(".alert-success:has-text('Risk R-001 added.')")
    _add_risk(
        page,
        manager,
        category="customers",
        title="Unknown new distributors",
        likelihood=3,
        impact=2,
        mitigation="Know-your-customer questionnaire.",
        residual=(2, 2),
        review="2027-06-30",
        again=True,
    )
    _add_risk(
        page,
        manager,
        category="internal_controls",
        title="Orders released before review",
        likelihood=2,
        impact=4,
        mitigation="Hold in the order system until approved.",
        residual=(1, 4),
        review="2027-01-15",
        again=False,
    )
    page.wait_for_selector("[data-testid=risk-register]")

    # The register says what each risk is, in words, and the heat map places each one.
    first = _row(page, "R-001")
    assert "Diversion through transit hubs" in first.inner_text()
    assert "Destinations" in first.inner_text()
    assert first.locator("[data-testid=risk-inherent]").inner_text() == "4×5 = 20 · Critical"
    assert first.locator("[data-testid=risk-residual]").inner_text() == "2×3 = 6 · Medium"
    assert first.locator("[data-testid=risk-review-date]").inner_text() == "2027-03-31"
    assert _row(page, "R-002").locator("[data-testid=risk-inherent]").inner_text() == (
        "3×2 = 6 · Medium"
    )
    assert _cell(page, 4, 5) == "1"
    assert _cell(page, 3, 2) == "1"
    assert _cell(page, 2, 4) == "1"
    assert _cell(page, 1, 1) == "·"
    page.click("#heat-map >> text=Residual")
    page.wait_for_selector("#heat-map a[aria-current=true]:has-text('Residual')")
    assert _cell(page, 2, 3) == "1"
    assert _cell(page, 4, 5) == "·"

    # Ms Chen re-rates R-001: less likely than she first thought. It moves on the map.
    _open_risk(page, "R-001")
    assert page.inner_text("[data-testid=risk-review-date]") == "2027-03-31"
    assert page.inner_text("[data-testid=inherent-rating]") == (
        "likelihood 4 · Likely, impact 5 · Severe · 20 · Critical"
    )
    assert page.inner_text("[data-testid=residual-rating]") == (
        "likelihood 2 · Unlikely, impact 3 · Moderate · 6 · Medium"
    )
    page.click("[data-testid=risk-edit]")
    assert page.input_value("input[name=title_en]") == "Diversion through transit hubs"
    assert page.input_value("input[name=review_date]") == "2027-03-31"
    page.select_option("select[name=likelihood]", "3")
    page.click("[data-testid=risk-save]")
    page.wait_for_selector(".alert-success:has-text('Risk R-001 saved.')")
    assert _row(page, "R-001").locator("[data-testid=risk-inherent]").inner_text() == (
        "3×5 = 15 · Critical"
    )
    assert _cell(page, 3, 5) == "1"
    assert _cell(page, 4, 5) == "·"

    # R-003 does not belong here: removing it asks first.
    _open_risk(page, "R-003")
    assert not page.locator("[data-testid=risk-remove-confirm]").is_visible()
    page.click("[data-testid=risk-remove] summary")
    assert "Remove R-003 from this draft register?" in page.inner_text("[data-testid=risk-remove]")
    page.click("[data-testid=risk-remove-confirm]")
    page.wait_for_selector(".alert-success:has-text('Risk R-003 removed from this register.')")
    assert _row(page, "R-003").count() == 0
    assert _cell(page, 2, 4) == "·"
    assessment_url = page.url.split("?")[0]
    _log_out(page)

    # Mr Liu (management) approves it; it is frozen.
    log_in(page, "executive@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto(assessment_url)
    page.fill("textarea[name=note]", "Budget for screening approved.")
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=assessment-status]:has-text('Approved')")
    approval = page.inner_text("[data-testid=approval]")
    assert approval.startswith(f"Approved by {executive} on {today.isoformat()} ")
    assert "Budget for screening approved." in approval
    _log_out(page)

    # Next year Ms Chen starts the next assessment from it.
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.goto("/risk/")
    assert TITLE in page.inner_text("[data-testid=current-assessment]")
    page.goto(assessment_url)
    assert page.locator("[data-testid=risk-add]").count() == 0
    page.click("[data-testid=assessment-copy]")
    period_start = datetime.date(today.year + 1, 1, 1)
    assert page.input_value("input[name=period_start]") == period_start.isoformat()
    page.fill("input[name=title]", "2027 export-control risk assessment")
    page.click("[data-testid=copy-forward]")
    page.wait_for_selector("[data-testid=assessment-title]:has-text('2027')")
    assert page.inner_text("[data-testid=assessment-status]") == "Draft"
    assert page.locator("[data-testid=risk-row]").count() == 2
    assert _cell(page, 3, 5) == "1"

    # She lowers the impact of R-002 and adds a new channel risk.
    _open_risk(page, "R-002")
    page.click("[data-testid=risk-edit]")
    page.select_option("select[name=impact]", "1")
    page.select_option("select[name=residual_impact]", "1")
    page.click("[data-testid=risk-save]")
    page.wait_for_selector(".alert-success:has-text('Risk R-002 saved.')")
    page.click("[data-testid=risk-add]")
    _add_risk(
        page,
        manager,
        category="channels",
        title="Sales through online marketplaces",
        likelihood=3,
        impact=3,
        mitigation="Marketplace listings only for uncontrolled items.",
        residual=(2, 2),
        review="2027-09-30",
        again=False,
    )
    page.wait_for_selector(".alert-success:has-text('Risk R-004 added.')")

    # The comparison: one new, one changed (named in words), none closed.
    page.click("[data-testid=assessment-compare]")
    page.wait_for_selector("[data-testid=new-count]")
    assert page.inner_text("[data-testid=new-count]") == "1"
    assert page.inner_text("[data-testid=changed-count]") == "1"
    assert page.inner_text("[data-testid=closed-count]") == "0"
    changed = page.inner_text("[data-testid=changed-fields]")
    assert "impact" in changed.lower()
    assert "_" not in changed
    assert "Sales through online marketplaces" in page.inner_text("main")

    # The stored state.
    old, new = RiskAssessment.objects.order_by("period_start")
    assert old.status == RiskAssessment.Status.APPROVED
    assert old.approved_by == executive
    assert sorted(old.risks.values_list("key", "likelihood", "impact")) == [
        ("R-001", 3, 5),
        ("R-002", 3, 2),
    ]
    assert new.status == RiskAssessment.Status.DRAFT
    assert new.previous == old
    assert new.period_start == period_start
    assert sorted(new.risks.values_list("key", "impact", "residual_impact")) == [
        ("R-001", 5, 3),
        ("R-002", 1, 1),
        ("R-004", 3, 2),
    ]

    # The same register in Chinese: headings and buttons translated, nothing English left.
    page.click("[data-testid=language-switcher]")
    page.click("button[lang=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    page.goto(new.get_absolute_url())
    page.wait_for_selector("[data-testid=risk-register]")
    texts = {
        "status": page.inner_text("[data-testid=assessment-status]"),
        "add": page.inner_text("[data-testid=risk-add]"),
        "compare": page.inner_text("[data-testid=assessment-compare]"),
        "copy": page.inner_text("[data-testid=assessment-copy]"),
        "register head": page.inner_text("[data-testid=risk-register] thead"),
        "heat map": page.inner_text("#heat-map .card-header"),
        "band": _row(page, "R-001").locator("[data-testid=risk-inherent]").inner_text(),
        "category": _row(page, "R-004").locator("td >> nth=2").inner_text(),
    }
    for name, text in texts.items():
        assert not any("a" <= char.lower() <= "z" for char in text), (name, text)
        assert any("\u4e00" <= char <= "\u9fff" for char in text), (name, text)
    page.screenshot(path="test-results/e2e-risk-register-zh.png", full_page=True)


def test_manager_overrides_a_reference_destination_and_removes_her_entry(page, world, reference):
    turkey = DestinationRisk.objects.reference().get(country="TR")
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")

    page.goto("/risk/destinations/")
    row = page.locator("[data-testid=destination-row][data-country=TR]")
    assert "Türkiye" in row.inner_text() or "Turkey" in row.inner_text()
    assert "Reference list" in row.inner_text()
    row.locator("a >> nth=0").click()
    assert page.inner_text("[data-testid=destination-origin]") == "Reference list"

    # Her own entry for Türkiye, started from the reference entry.
    page.click("[data-testid=destination-override]")
    assert page.input_value("select[name=country]") == "TR"
    assert page.input_value("textarea[name=source]") == turkey.source
    page.select_option("select[name=level]", "high")
    page.fill("textarea[name=reason_en]", "Two diversion cases with our own distributors.")
    page.click("[data-testid=destination-save]")
    page.wait_for_selector(".alert-success:has-text('Destination risk saved.')")
    assert page.inner_text("[data-testid=destination-origin]") == "Our organisation"
    assert "The reference entry this overrides" in page.inner_text("main")

    page.goto("/risk/destinations/")
    row = page.locator("[data-testid=destination-row][data-country=TR]")
    assert row.count() == 1
    assert "Our organisation" in row.inner_text()
    assert "overrides the reference entry" in row.inner_text()
    assert "High" in row.inner_text()
    own = DestinationRisk.objects.get(organisation=world.organisation, country="TR")
    assert own.level == "high"

    # She removes it again, after confirming; the reference entry applies once more.
    row.locator("a >> nth=0").click()
    page.click("[data-testid=destination-remove] summary")
    page.click("[data-testid=destination-remove-confirm]")
    page.wait_for_selector(".alert-success:has-text('was removed')")
    row = page.locator("[data-testid=destination-row][data-country=TR]")
    assert "Reference list" in row.inner_text()
    assert not DestinationRisk.objects.filter(organisation=world.organisation).exists()
