"""The sidebar offers each role only what it may open; 403 and 404 pages are part of the app."""

import pytest
from django.urls import reverse

from core.navigation import ELEMENTS, TOOLS
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["manager", "auditor", "executive", "staff"])
def test_sidebar_shows_exactly_the_entries_the_role_may_open(world, persona):
    client = world.client(persona)
    page = client.get(reverse("icp:overview"))
    assert page.status_code == 200
    shown = {entry["url"] for entry in page.context["nav_elements"] + page.context["nav_tools"]}
    for item in ELEMENTS + TOOLS:
        status = client.get(item.url).status_code
        if item.url in shown:
            assert status < 400, (persona, item.code, status)
        else:
            assert status == 403, (persona, item.code, status)


def test_staff_do_not_see_the_programme_readers_pages(world):
    page = world.client("staff").get(reverse("icp:overview"))
    codes = {entry["code"] for entry in page.context["nav_elements"]}
    assert "E2" not in codes and "E3" not in codes
    assert "E4" in codes


@pytest.mark.parametrize(
    ("language", "title", "back"),
    [
        ("en", "You may not open this page", "Back to the overview"),
        ("zh-hans", "您无权打开此页面", "返回概览"),
    ],
)
def test_403_page_has_the_app_layout_language_and_a_way_back(world, language, title, back):
    response = world.client("staff").get(
        reverse("icp:organisation_home"), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="error-403"' in html
    assert "app-sidebar" in html  # the app's layout, with its navigation
    assert title in html and back in html
    assert f'href="{reverse("icp:overview")}"' in html


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Page not found"), ("zh-hans", "页面不存在")]
)
def test_404_page_has_the_app_layout_language_and_a_way_back(world, language, title):
    response = world.client("manager").get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-404"' in html and "app-sidebar" in html
    assert title in html
    assert f'href="{reverse("icp:overview")}"' in html


def test_anonymous_404_offers_the_login(client):
    html = client.get("/no-such-page/").content.decode()
    assert f'href="{reverse("accounts:login")}"' in html


def test_superuser_without_membership_is_told_what_to_do(client):
    admin = UserFactory(email="root@x.example", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("icp:overview"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Your account has no organisation yet" in html
    assert 'data-testid="superuser-guidance"' in html
    assert f'href="{reverse("admin:index")}"' in html


def test_superuser_without_membership_is_told_what_to_do_in_chinese(client):
    admin = UserFactory(email="root-zh@x.example", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("icp:overview"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403
    html = response.content.decode()
    assert "您的账户尚未加入任何组织" in html
    assert "作为系统管理员" in html
    assert "打开管理后台" in html
    assert "Your account has no organisation yet" not in html


def test_member_without_organisation_is_told_to_ask_for_an_invitation(client):
    client.force_login(UserFactory(email="nobody@x.example"))
    html = client.get(reverse("icp:overview"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "邀请" in html
    assert 'data-testid="superuser-guidance"' not in html
