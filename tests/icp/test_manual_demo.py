import pytest
from django.core.management import call_command

from accounts.models import Organisation
from icp.models import ManualVersion
from icp.selectors.manual import manual_is_stale, manual_latest

pytestmark = pytest.mark.django_db


def test_demo_has_a_chinese_manual_and_seeding_again_adds_none():
    call_command("seed_demo", password="a-long-demo-password")
    call_command("seed_demo")
    demo = Organisation.objects.get(slug="demo")
    versions = ManualVersion.objects.for_organisation(demo)
    assert versions.count() == 1
    latest = manual_latest(organisation=demo)
    assert latest.language == "zh-hans" and latest.page_count > 10
    assert latest.requested_by.email == "executive@demo.example"
    # Seeders after this one (screening, audits, records) change the programme, so the demo
    # shows the "out of date" badge and invites a new version, which is the truth.
    assert manual_is_stale(organisation=demo, manual=latest)
