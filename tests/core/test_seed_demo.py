import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        sorted(User.objects.values_list("email", "password")),
    )


def test_seed_demo_creates_one_user_per_role_and_a_second_organisation(capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    out = capsys.readouterr().out
    roles = dict(
        Membership.objects.filter(organisation__slug="demo")
        .active()
        .values_list("user__email", "role")
    )
    assert roles == {
        "manager@demo.example": Role.COMPLIANCE_MANAGER,
        "auditor@demo.example": Role.AUDITOR,
        "executive@demo.example": Role.MANAGEMENT,
        "staff@demo.example": Role.STAFF,
    }
    former = Membership.objects.get(user__email="former.sales@demo.example")
    assert not former.is_active and not former.user.has_usable_password()
    assert Membership.objects.get(user__email="manager@other.example").organisation.slug == "other"
    assert "password:" in out
    password = out.split("password:")[1].split()[0]
    assert User.objects.get(email="staff@demo.example").check_password(password)


def test_seed_demo_twice_changes_nothing(capsys):
    call_command("seed_demo")
    before = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == before
    assert "nothing changed" in capsys.readouterr().out


def test_seed_demo_with_password_sets_it(capsys):
    call_command("seed_demo", password="a-long-demo-password")
    assert User.objects.get(email="auditor@demo.example").check_password("a-long-demo-password")


def test_seeding_again_never_replaces_a_list_the_organisation_changed(settings, tmp_path):
    """make run seeds every time: the in-house list the compliance manager imported stays."""
    from screening.models import ScreeningList
    from screening.services.lists import list_import

    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    inhouse = ScreeningList.objects.get(code="DEMO-INHOUSE")
    manager = User.objects.get(email="manager@demo.example")
    own = list_import(
        screening_list=inhouse,
        content=(
            b"list_code,entity_id,entity_type,name,country\n"
            b"DEMO-INHOUSE,OWN-1,entity,Our own blocked party,CN\n"
        ),
        file_format="icp-csv",
        user=manager,
        filename="own.csv",
    )
    assert own.created
    versions = sorted(ScreeningList.objects.values_list("code", "versions__number", "versions__pk"))
    call_command("seed_demo")
    inhouse.refresh_from_db()
    assert inhouse.versions.order_by("-number").first() == own.version
    assert (
        sorted(ScreeningList.objects.values_list("code", "versions__number", "versions__pk"))
        == versions
    )
