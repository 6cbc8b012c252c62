import pytest
from django.core.management import call_command

from accounts.models import Membership, User

pytestmark = pytest.mark.django_db


def test_demo_members_are_seeded_once(capsys):
    call_command("seed_demo")
    before = (User.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Membership.objects.count()) == before
    auditor = User.objects.get(email="auditor@demo.example")
    assert set(
        Membership.objects.active()
        .filter(user=auditor)
        .values_list("organisation__slug", flat=True)
    ) == {"demo", "other"}
    former = Membership.objects.get(user__email="former.sales@demo.example")
    assert not former.is_active
    assert not former.user.has_usable_password()
