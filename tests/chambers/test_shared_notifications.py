"""Members hear of what their chamber shares for them to use or adopt, in their own language."""

import pytest

from chambers import services
from chambers.hooks import chamber_shared_reminders
from chambers.models import PublicationKind, PublicationStatus
from records.models import Notification
from records.services.reminders import reminders_notify
from tests.chambers.factories import (
    ChamberMembershipFactory,
    PublicationFactory,
    chamber_with_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chamber(world):
    return chamber_with_staff()


def test_shared_content_reaches_the_members_compliance_manager_only(chamber, world):
    _chamber, _users = chamber
    ChamberMembershipFactory(organisation=_chamber.organisation, member=world.organisation)
    course = PublicationFactory(
        organisation=_chamber.organisation,
        kind=PublicationKind.TRAINING_COURSE,
        title_zh="出口管制入门",
        title_en="Export control basics",
    )
    PublicationFactory(organisation=_chamber.organisation)  # a regulatory update: its own kind
    PublicationFactory(
        organisation=_chamber.organisation,
        kind=PublicationKind.POLICY_TEMPLATE,
        status=PublicationStatus.DRAFT,
    )
    items = list(chamber_shared_reminders(world.organisation, None))
    assert [item.key for item in items] == [f"chamber_shared:{course.pk}"]

    reminders_notify(organisation=world.organisation)
    notified = Notification.objects.filter(kind="chamber_shared")
    assert {n.user for n in notified} == {world.users["manager"]}
    assert notified.get().url.endswith(f"/chambers/updates/{course.pk}/")
    reminders_notify(organisation=world.organisation)  # idempotent: still one
    assert Notification.objects.filter(kind="chamber_shared").count() == 1


def test_the_reminder_names_the_kind_and_title_in_the_readers_language(chamber, world):
    _chamber, _users = chamber
    ChamberMembershipFactory(organisation=_chamber.organisation, member=world.organisation)
    PublicationFactory(
        organisation=_chamber.organisation,
        kind=PublicationKind.CONTROL_LIST,
        title_zh="商会维护的管制清单",
        title_en="The chamber's control list",
    )
    (item,) = chamber_shared_reminders(world.organisation, None)
    english, chinese = item.render("en"), item.render("zh-hans")
    assert "Control list version" in english and "The chamber's control list" in english
    assert "管制清单版本" in chinese and "商会维护的管制清单" in chinese
    assert "control_list" not in english + chinese


def test_a_member_that_left_hears_of_nothing_more(chamber, world):
    _chamber, _users = chamber
    membership = ChamberMembershipFactory(
        organisation=_chamber.organisation, member=world.organisation
    )
    PublicationFactory(organisation=_chamber.organisation, kind=PublicationKind.MANUAL_SETTINGS)
    assert len(list(chamber_shared_reminders(world.organisation, None))) == 1
    services.chamber_membership_leave(membership=membership, actor=world.users["manager"])
    assert list(chamber_shared_reminders(world.organisation, None)) == []
