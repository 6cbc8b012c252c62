"""E1 pages: the happy paths, what each role sees, and fixed query counts with 200 rows."""

import pytest
from django.urls import reverse

from icp.models import PolicyAcknowledgement, PolicyStatus, PolicyVersion
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.icp.factories_policy import PolicyAcknowledgementFactory, PolicyVersionFactory

pytestmark = pytest.mark.django_db


def _version(world, **kwargs):
    return PolicyVersionFactory(
        organisation=world.organisation, created_by=world.users["manager"], **kwargs
    )


FORM = {
    "title_zh": "出口管制合规政策声明",
    "title_en": "Export Control Compliance Policy Statement",
    "body_zh": "## 一、承诺\n\n本公司严格遵守出口管制法律法规。",
    "body_en": "## 1. Commitment\n\nThe Company complies with export-control law.",
    "signatory_name": "刘建国",
    "signatory_title": "总经理",
    "effective_date": "2026-01-01",
    "review_due_date": "",
    "change_note": "",
}


def test_the_draft_form_starts_from_the_template(world, reference):
    response = world.client("manager").get(reverse("icp:policy_version_create"))
    assert response.status_code == 200
    assert "出口管制法" in response.content.decode()


def test_manager_drafts_edits_and_submits(world, reference):
    client = world.client("manager")
    response = client.post(reverse("icp:policy_version_create"), FORM)
    version = PolicyVersion.objects.get(organisation=world.organisation)
    assert response.status_code == 302 and response.url == version.get_absolute_url()
    assert version.review_due_date.isoformat() == "2027-01-01"
    client.post(
        reverse("icp:policy_version_edit", args=[version.pk]), FORM | {"body_zh": "新的正文"}
    )
    client.post(reverse("icp:policy_version_submit", args=[version.pk]))
    version.refresh_from_db()
    assert version.body_zh == "新的正文" and version.status == PolicyStatus.SUBMITTED


def test_a_form_error_is_shown_on_the_form(world, reference):
    response = world.client("manager").post(
        reverse("icp:policy_version_create"),
        FORM | {"effective_date": "2026-01-01", "review_due_date": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "The review must be due after the effective date." in response.content.decode()


def test_a_frozen_version_cannot_be_opened_for_editing(world, reference):
    version = _version(world, published=True)
    response = world.client("manager").get(reverse("icp:policy_version_edit", args=[version.pk]))
    assert response.status_code == 302 and response.url == version.get_absolute_url()


def test_the_approver_sees_the_text_and_the_changes_from_last_year(world, reference):
    old = _version(world, number=1, published=True, body_zh="资料保存不少于五年。")
    new = _version(world, number=2, submitted=True, based_on=old, body_zh="资料保存不少于十年。")
    response = world.client("executive").get(new.get_absolute_url())
    html = response.content.decode()
    assert 'data-testid="policy-approve"' in html
    assert 'data-testid="approval-diff"' in html
    assert "<del" in html and ">五</del>" in html and ">十</ins>" in html
    # The manager sees who is to approve, not the buttons.
    html = world.client("manager").get(new.get_absolute_url()).content.decode()
    assert 'data-testid="policy-approve"' not in html
    assert str(world.users["executive"]) in html


def test_management_approves_and_returns_through_the_page(world, reference):
    version = _version(world, submitted=True)
    client = world.client("executive")
    client.post(reverse("icp:policy_version_return", args=[version.pk]), {"comment": "请修改"})
    version.refresh_from_db()
    assert version.status == PolicyStatus.DRAFT and version.return_comment == "请修改"
    world.client("manager").post(reverse("icp:policy_version_submit", args=[version.pk]))
    client.post(reverse("icp:policy_version_approve", args=[version.pk]), {"comment": "同意"})
    version.refresh_from_db()
    assert version.status == PolicyStatus.APPROVED and version.approval_comment == "同意"
    world.client("manager").post(reverse("icp:policy_version_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == PolicyStatus.PUBLISHED


def test_staff_see_only_the_published_text_and_acknowledge(world, reference):
    _version(world, number=1, published=True, body_zh="已发布的正文")
    _version(world, number=2, body_zh="草稿正文")
    client = world.client("staff")
    html = client.get(reverse("icp:policy_home")).content.decode()
    assert "已发布的正文" in html and "草稿正文" not in html
    assert 'data-testid="ack-stats"' not in html  # the figures are for the programme's keepers
    published = PolicyVersion.objects.get(number=1)
    response = client.post(reverse("icp:policy_acknowledge", args=[published.pk]))
    assert response.status_code == 302
    assert PolicyAcknowledgement.objects.filter(user=world.users["staff"]).count() == 1
    html = client.get(reverse("icp:policy_home")).content.decode()
    assert 'data-testid="ack-done"' in html
    # A second click is refused with a message, not a second row.
    client.post(reverse("icp:policy_acknowledge", args=[published.pk]))
    assert PolicyAcknowledgement.objects.filter(user=world.users["staff"]).count() == 1


def test_the_statement_is_rendered_from_markdown_and_sanitised(world, reference):
    _version(
        world,
        published=True,
        body_en='## Heading\n\n<script>alert(1)</script><a href="javascript:x">x</a> **bold**',
    )
    html = world.client("staff").get(reverse("icp:policy_home")).content.decode()
    assert "<h2>Heading</h2>" in html and "<strong>bold</strong>" in html
    assert "<script>alert(1)" not in html and "javascript:x" not in html


def test_home_page_percentage_and_pending_list(world, reference):
    version = _version(world, published=True)
    PolicyAcknowledgementFactory(version=version, user=world.users["manager"])
    html = world.client("manager").get(reverse("icp:policy_home")).content.decode()
    assert "25 %" in html
    html = (
        world.client("auditor")
        .get(reverse("icp:policy_acknowledgements", args=[version.pk]))
        .content.decode()
    )
    assert str(world.users["staff"]) in html


def test_compare_page_shows_both_languages(world, reference):
    old = _version(world, number=1, published=True, body_en="Keep records five years.")
    new = _version(world, number=2, based_on=old, body_en="Keep records ten years.")
    response = world.client("auditor").get(
        reverse("icp:policy_compare"), {"old": old.pk, "new": new.pk}
    )
    html = response.content.decode()
    assert html.count('data-testid="policy-diff"') == 2
    assert ">ten</ins>" in html


def test_the_requirements_panel_links_to_the_element_page(world, reference):
    html = world.client("staff").get(reverse("icp:policy_home")).content.decode()
    assert reverse("icp:element_detail", args=["E1"]) in html
    assert "E1-R1" in html


def _two_hundred(world):
    version = _version(world, number=1, published=True)
    for index in range(200):
        membership = MembershipFactory(organisation=world.organisation, user=UserFactory())
        if index % 2:
            PolicyAcknowledgementFactory(version=version, user=membership.user)
    return version


def test_home_page_query_count_with_200_members(world, reference, django_assert_max_num_queries):
    _two_hundred(world)
    client = world.client("manager")
    client.get(reverse("icp:policy_home"))
    with django_assert_max_num_queries(22):
        response = client.get(reverse("icp:policy_home"))
    assert response.context["stats"].total == 204


def test_acknowledgement_page_query_count(world, reference, django_assert_max_num_queries):
    version = _two_hundred(world)
    client = world.client("manager")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("icp:policy_acknowledgements", args=[version.pk]))
    assert len(response.context["stats"].pending) == 104


def test_version_list_and_detail_query_counts_with_200_versions(
    world, reference, django_assert_max_num_queries
):
    for number in range(1, 201):
        _version(world, number=number, status=PolicyStatus.SUPERSEDED)
    client = world.client("manager")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("icp:policy_version_list"))
    assert response.status_code == 200
    last = PolicyVersion.objects.get(number=200)
    with django_assert_max_num_queries(30):
        response = client.get(last.get_absolute_url())
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("icp:policy_compare"))
    assert response.context["new"] == last


def test_version_list_exports_to_excel(world, reference):
    _version(world, published=True)
    response = world.client("auditor").get(reverse("icp:policy_version_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
