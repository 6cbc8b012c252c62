import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from chambers.models import ChamberMembership, Publication
from chambers.selectors import members_view
from records.models import Notification

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(model.objects.count() for model in (ChamberMembership, Publication, Notification))


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
