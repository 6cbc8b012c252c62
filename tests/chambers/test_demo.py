import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from chambers.models import (
    Adoption,
    ChamberMembership,
    ListSubscription,
    ListUpdate,
    Publication,
)
from chambers.selectors import members_view
from icp.models import ManualSettings
from records.models import Notification

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        model.objects.count()
        for model in (ChamberMembership, Publication, Notification, ListUpdate, ListSubscription)
    )


def test_demo_chamber_hosts_both_companies(capsys):
    call_command("seed_demo")
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before

    memberships = ChamberMembership.objects.filter(organisation__slug="chamber")
    assert {(m.member.slug, m.status, m.shares_status) for m in memberships} == {
        ("demo", "active", True),
        ("other", "active", False),
    }
    update = Publication.objects.get(organisation__slug="chamber", kind="regulatory_update")
    notified = Notification.objects.filter(key=f"chamber_update:{update.pk}")
    assert {n.organisation.slug for n in notified} == {"demo", "other"}

    view = members_view(organisation=memberships.first().organisation)
    assert [m.membership.member.slug for m in view.sharing] == ["demo"]
    assert view.others.count == 1 and not view.others.shown

    client = Client()
    client.force_login(User.objects.get(email="manager@other.example"))
    overview = client.get(reverse("icp:overview")).content.decode()
    assert "公告2024年第51号" in overview
    # The chamber's list: two announcements published, the second company is offered the list
    # (overview, notification centre) and the first screens against it.
    updates = ListUpdate.objects.filter(organisation__slug="chamber").order_by("announcement_date")
    assert [(u.announcement_number, u.status, u.version.number) for u in updates] == [
        ("商务部公告2025年第21号", "suspended", 1),
        ("商务部公告2025年第51号", "in_force", 2),
    ]
    assert "商务部公告2025年第51号" in overview
    for update in updates:
        notified = Notification.objects.filter(key=f"chamber_list_update:{update.pk}")
        assert {n.organisation.slug for n in notified} == {"demo", "other"}
    [subscription] = ListSubscription.objects.all()
    assert subscription.organisation.slug == "demo"
    assert (
        client.get(
            reverse("screening:list_detail", args=[updates[0].screening_list_id])
        ).status_code
        == 404
    )
    client.force_login(User.objects.get(email="manager@demo.example"))
    page = client.get(reverse("screening:list_detail", args=[updates[0].screening_list_id]))
    assert page.status_code == 200 and "Huntington Ingalls Industries" in page.content.decode()
    # What the chamber shares to adopt: one of each; the first company applied the manual
    # settings, and its manual page starts from them.
    shared = Publication.objects.filter(organisation__slug="chamber", status="published")
    assert {"control_list", "training_course", "manual_settings"} <= set(
        shared.values_list("kind", flat=True)
    )
    [adoption] = Adoption.objects.all()
    assert (adoption.organisation.slug, adoption.publication.kind) == ("demo", "manual_settings")
    settings = ManualSettings.objects.get(pk=adoption.object_id)
    assert (settings.organisation.slug, settings.language, settings.edition) == (
        "demo",
        "zh-hans",
        "full",
    )
    page = client.get(reverse("icp:manual_home")).content.decode()
    assert 'data-testid="manual-settings"' in page
    course = shared.get(kind="training_course")
    assert client.get(reverse("chambers:update_detail", args=[course.pk])).status_code == 200
