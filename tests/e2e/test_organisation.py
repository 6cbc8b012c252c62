"""The E2 journey in the browser: Ms Chen records the compliance organisation (the committee
chaired by the deputy general manager, the compliance department, herself as compliance officer),
sets up a segregation-of-duties rule, sees the conflict when her deputy also runs sales
operations, and resolves it. Staff may not open the organisation pages; the chart reads in
Chinese."""

import re

import pytest

from accounts.models import Role
from icp.models import ComplianceBody, Position, SodRule
from icp.services import organisation as services
from tests.accounts.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = {"manager": "陈静", "executive": "刘建国", "staff": "王磊", "auditor": "赵敏"}
RULE_NAME = "The compliance officer must not also run sales operations"
# Choice values and field names that must never reach a person.
CODES = ("committee", "department", "full_time", "part_time", "sales_approval", "compliance_review")


def _name_the_people(world):
    for persona, name in NAMES.items():
        user = world.users[persona]
        user.full_name = name
        user.save(update_fields=["full_name"])


def _text(page, selector):
    return page.inner_text(selector).strip()


def _assert_no_codes(page, selector="main"):
    text = page.inner_text(selector)
    for code in CODES:
        assert code not in text, f"{code!r} shown on {page.url}"


def _save(page):
    page.click("[data-testid=organisation-form] [data-testid=save]")


def _fill_body(page, *, kind, name_zh, name_en, parent=None):
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=name_zh]", name_zh)
    page.fill("input[name=name_en]", name_en)
    if parent:
        page.select_option("select[name=parent]", label=parent)
    page.fill("textarea[name=mandate_en]", "Decides on the export-control programme.")
    page.fill("input[name=meeting_frequency]", "Quarterly")
    _save(page)


def _fill_position(page, *, title_zh, title_en, holder, commitment, duty, deputy=None, **flags):
    page.fill("input[name=title_zh]", title_zh)
    page.fill("input[name=title_en]", title_en)
    page.select_option("select[name=commitment]", commitment)
    page.select_option("select[name=holder]", label=holder)
    if deputy:
        page.select_option("select[name=deputy]", label=deputy)
    if flags.get("reports_to"):
        page.select_option("select[name=reports_to]", label=flags["reports_to"])
    for name in ("is_head", "may_stop_exports", "may_consult_authority"):
        if flags.get(name):
            page.check(f"input[name={name}]")
    page.check(f"input[name=duty_codes][value={duty}]")
    _save(page)
    page.wait_for_selector("[data-testid=position-title]")


def test_manager_records_the_organisation_and_resolves_a_sod_conflict(page, world, reference):
    _name_the_people(world)
    MembershipFactory(
        organisation=world.organisation,
        role=Role.STAFF,
        user=UserFactory(email="deputy@acme.test", full_name="李娜"),
    )
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")

    # Nothing recorded yet: the page says where to start and that no rule watches for conflicts.
    page.goto("/organisation/")
    assert "start with the committee" in _text(page, "[data-testid=organisation-empty]")
    assert "conflicts cannot be detected" in _text(page, "[data-testid=no-rules]")
    assert page.locator("[data-testid=org-chart]").count() == 0

    # The committee, chaired by the deputy general manager.
    page.click("[data-testid=add-body]")
    _fill_body(
        page,
        kind="committee",
        name_zh="出口管制合规委员会",
        name_en="Export Control Compliance Committee",
    )
    page.wait_for_selector("[data-testid=body-title]")
    assert "Compliance body saved." in _text(page, "[role=alert].alert-success")
    assert _text(page, "[data-testid=body-kind]") == "Committee"
    page.click("[data-testid=body-add-position]")
    assert page.locator("select[name=body] option:checked").inner_text() == (
        "Export Control Compliance Committee"
    )
    _fill_position(
        page,
        title_zh="合规委员会主任",
        title_en="Committee chair",
        holder="刘建国",
        commitment="part_time",
        duty="programme_audit",
        is_head=True,
        may_stop_exports=True,
    )
    assert _text(page, "[data-testid=holder]") == "刘建国"
    assert _text(page, "[data-testid=commitment]") == "Part-time"

    # A sales operations lead sits on the committee: Mr Wang, who approves the sales.
    page.goto("/organisation/positions/new/")
    page.select_option("select[name=body]", label="Export Control Compliance Committee")
    _fill_position(
        page,
        title_zh="销售运营主管",
        title_en="Sales operations lead",
        holder="王磊",
        commitment="part_time",
        duty="sales_approval",
    )
    assert "Approve the sale (commercial approval)" in _text(page, "[data-testid=duties]")

    # The compliance department under the committee, and Ms Chen as compliance officer.
    page.goto("/organisation/")
    page.click("[data-testid=add-body]")
    _fill_body(
        page,
        kind="department",
        name_zh="合规部",
        name_en="Compliance Department",
        parent="Export Control Compliance Committee",
    )
    page.wait_for_selector("[data-testid=body-title]")
    assert _text(page, "[data-testid=body-kind]") == "Department"
    assert _text(page, "[data-testid=body-parent]") == "Export Control Compliance Committee"
    page.click("[data-testid=body-add-position]")
    _fill_position(
        page,
        title_zh="合规负责人",
        title_en="Compliance officer",
        holder="陈静",
        commitment="full_time",
        duty="compliance_review",
        reports_to="Committee chair",
        is_head=True,
        may_stop_exports=True,
        may_consult_authority=True,
    )
    officer_url = page.url
    assert _text(page, "[data-testid=holder]") == "陈静"
    assert _text(page, "[data-testid=deputy]") == "—"
    assert _text(page, "[data-testid=reports-to]") == "Committee chair"
    assert _text(page, "[data-testid=commitment]") == "Full-time"
    authority = _text(page, "[data-testid=authority]")
    assert "May stop any export" in authority and "May consult MOFCOM directly" in authority
    assert "Export-control compliance review" in _text(page, "[data-testid=duties]")
    _assert_no_codes(page)

    # The rule: the compliance officer (or whoever stands in) must not also run sales.
    page.goto("/organisation/")
    page.click("[data-testid=tab-rules]")
    page.click("[data-testid=add-rule]")
    assert page.locator("input[name=code]").count() == 0  # nobody types a rule's key
    page.select_option("select[name=kind]", "positions")
    page.fill("input[name=name_zh]", "合规负责人不得兼管销售运营")
    page.fill("input[name=name_en]", RULE_NAME)
    page.select_option("select[name=position_a]", label="Compliance officer")
    page.select_option("select[name=position_b]", label="Sales operations lead")
    page.fill("textarea[name=rationale_en]", "Compliance must stay independent of the business.")
    _save(page)
    page.wait_for_selector("[data-testid=rule-title]")
    assert _text(page, "[data-testid=rule-title]") == RULE_NAME
    assert re.sub(r"\s+", " ", _text(page, "[data-testid=keeps-apart]")) == (
        "Compliance officer Sales operations lead"
    )
    no_conflict = _text(page, "[data-testid=no-conflict]")
    assert "Nobody in the organisation breaks this rule." in no_conflict

    # Ms Chen names Mr Wang her deputy: the save warns at once, and the chart flags the conflict.
    page.goto(officer_url)
    page.click("[data-testid=position-edit]")
    page.select_option("select[name=deputy]", label="王磊")
    _save(page)
    page.wait_for_selector("[data-testid=position-title]")
    assert _text(page, "[role=alert].alert-warning") == (
        f"Segregation of duties: 王磊: {RULE_NAME}"
    )
    warning = re.sub(r"\s+", " ", _text(page, "[data-testid=sod-warning]"))
    assert "1 segregation-of-duties conflict" in warning
    assert "王磊" in warning and RULE_NAME in warning
    assert "Compliance officer (deputy)" in warning and "Sales operations lead (holder)" in warning

    page.goto("/organisation/")
    assert page.locator("[data-testid=no-rules]").count() == 0
    assert "王磊" in _text(page, "[data-testid=sod-warning]")
    bodies = page.locator("[data-testid=chart-body]")
    assert bodies.count() == 2
    chart = _text(page, "[data-testid=org-chart]")
    for seen in ("Export Control Compliance Committee", "Compliance Department", "Committee"):
        assert seen in chart
    assert page.locator("[data-testid=chart-position]").count() == 3
    cards = {
        text.strip().splitlines()[0].strip(): text
        for text in page.locator("[data-testid=chart-position]").all_inner_texts()
    }
    assert "刘建国" in cards["Committee chair"]
    assert "陈静" in cards["Compliance officer"] and "Deputy: 王磊" in cards["Compliance officer"]
    _assert_no_codes(page, "[data-testid=org-chart]")
    page.screenshot(path="test-results/e2e-organisation-conflict.png", full_page=True)

    # She resolves it: Ms Li, who has nothing to do with sales, stands in for her instead.
    page.goto(officer_url)
    page.click("[data-testid=position-edit]")
    page.select_option("select[name=deputy]", label="李娜")
    _save(page)
    page.wait_for_selector("[data-testid=position-title]")
    assert "Position saved." in _text(page, "[role=alert].alert-success")
    assert page.locator("[role=alert].alert-warning").count() == 0
    assert page.locator("[data-testid=sod-warning]").count() == 0
    assert _text(page, "[data-testid=deputy]") == "李娜"
    page.goto("/organisation/")
    assert page.locator("[data-testid=sod-warning]").count() == 0
    officer_card = page.locator("[data-testid=chart-position]", has_text="陈静")
    assert "Deputy: 李娜" in officer_card.inner_text()

    # What is stored.
    organisation = world.organisation
    committee = ComplianceBody.objects.get(organisation=organisation, kind="committee")
    department = ComplianceBody.objects.get(organisation=organisation, kind="department")
    assert department.parent == committee
    officer = Position.objects.get(organisation=organisation, title_en="Compliance officer")
    assert officer.body == department and officer.holder == world.users["manager"]
    assert officer.deputy.email == "deputy@acme.test"
    assert officer.reports_to.title_en == "Committee chair"
    assert officer.may_stop_exports and officer.may_consult_authority
    assert officer.duty_codes == ["compliance_review"]
    sales = Position.objects.get(organisation=organisation, title_en="Sales operations lead")
    assert sales.body == committee and sales.holder == world.users["staff"]
    rule = SodRule.objects.get(organisation=organisation, name_en=RULE_NAME)
    assert (rule.kind, rule.position_a, rule.position_b) == ("positions", officer, sales)
    assert services.sod_conflicts(organisation=organisation) == []


def _organisation_with_conflict(world):
    manager = world.users["manager"]
    organisation = world.organisation
    committee = services.compliance_body_create(
        organisation=organisation,
        user=manager,
        fields={"kind": "committee", "name_zh": "出口管制合规委员会", "name_en": "Committee"},
    )

    def position(title_zh, title_en, holder, **fields):
        return services.position_create(
            organisation=organisation,
            user=manager,
            fields={
                "body": committee,
                "title_zh": title_zh,
                "title_en": title_en,
                "holder": holder,
                "commitment": "part_time",
                **fields,
            },
        )

    officer = position(
        "合规负责人", "Compliance officer", manager, deputy=world.users["staff"], is_head=True
    )
    sales = position("销售运营主管", "Sales operations lead", world.users["staff"])
    services.sod_rule_create(
        organisation=organisation,
        user=manager,
        fields={
            "code": "officer_not_sales",
            "kind": "positions",
            "name_zh": "合规负责人不得兼管销售运营",
            "name_en": RULE_NAME,
            "position_a": officer,
            "position_b": sales,
        },
    )
    return officer


def test_staff_cannot_open_or_edit_the_organisation(page, world, reference):
    _name_the_people(world)
    officer = _organisation_with_conflict(world)
    log_in(page, "staff@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    # The overview offers no way into the organisation pages ...
    assert page.locator("a[href='/organisation/']").count() == 0
    # ... and typing the address of an edit page is refused with a reason, nothing changes.
    refused = (
        f"/organisation/positions/{officer.pk}/edit/",
        "/organisation/",
        "/organisation/sod-rules/new/",
    )
    for url in refused:
        response = page.goto(url)
        assert response.status == 403, url
        assert _text(page, "[data-testid=error-403] h1") == "You may not open this page"
        assert page.locator("[data-testid=organisation-form]").count() == 0
    officer.refresh_from_db()
    assert officer.deputy == world.users["staff"]


def test_the_organisation_chart_in_chinese(page, world, reference):
    _name_the_people(world)
    _organisation_with_conflict(world)
    log_in(page, "manager@acme.test", TEST_PASSWORD)
    page.wait_for_selector("[data-testid=overview-title]")
    page.click("[data-testid=language-switcher]")
    page.click("button[lang=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")

    page.goto("/organisation/")
    expected = {
        "[data-testid=organisation-title]": "2合规组织机构",
        "[data-testid=add-body]": "合规机构",
        "[data-testid=add-position]": "岗位",
        "[data-testid=tab-chart]": "组织架构图",
        "[data-testid=tab-positions]": "岗位",
        "[data-testid=tab-rules]": "职责分离",
        "[data-testid=chart-body] .badge": "委员会",
    }
    for selector, text in expected.items():
        assert re.sub(r"\s+", "", _text(page, selector)) == text, selector
    warning = re.sub(r"\s+", " ", _text(page, "[data-testid=sod-warning]"))
    assert "1 项职责分离冲突" in warning
    assert "合规负责人不得兼管销售运营" in warning
    assert "合规负责人（副职（B角））" in warning and "销售运营主管（任职人）" in warning
    chart = _text(page, "[data-testid=org-chart]")
    assert "出口管制合规委员会" in chart and "副职（B角）：王磊" in chart
    # No English leaks into what she reads: the chart, the warning (no rule code), the tabs.
    checked = [chart, warning]
    checked += [_text(page, selector) for selector in expected]
    for text in checked:
        assert not re.search(r"[A-Za-z]{2,}", text), text
    page.screenshot(path="test-results/e2e-organisation-zh.png", full_page=True)
