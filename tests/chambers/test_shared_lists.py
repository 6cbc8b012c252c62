"""Screening lists a chamber keeps for its members: publishing a version with its announcement,
a member opting in, screening against it read-only, re-screening on a new version, and what
neither side sees of the other."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from chambers import services
from chambers.models import (
    AnnouncementStatus,
    ChamberMembership,
    ChamberMembershipStatus,
    ListSubscription,
    ListUpdate,
)
from chambers.selectors import shared_lists_for_member
from core.models import Job
from records.models import Notification
from screening.jobs import RESCREEN_KIND
from screening.models import Screening, ScreeningList
from screening.selectors import entity_get, list_get, list_visible, version_get
from screening.services.lists import list_can_manage
from screening.services.screening import screening_run
from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from tests.screening.factories import ScreeningListFactory, add_entity
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db

NO_51 = "商务部公告2025年第51号"


@pytest.fixture
def chamber(world):
    chamber, users = chamber_with_staff()
    ChamberMembershipFactory(organisation=chamber.organisation, member=world.organisation)
    return chamber.organisation, users


@pytest.fixture
def chamber_list(chamber):
    organisation, _users = chamber
    screening_list = ScreeningListFactory(
        organisation=organisation, code="CN-CONTROL", name_zh="出口管制管控名单"
    )
    add_entity(screening_list, "CN-2025-51-1", "Huntington Ingalls Industries", countries=["US"])
    screening_list.refresh_from_db()
    return screening_list


def _publish(chamber, screening_list, **values):
    organisation, users = chamber
    return services.list_update_publish(
        organisation=organisation,
        actor=users["manager"],
        screening_list=screening_list,
        announcement_number=values.get("number", NO_51),
        announcement_date=values.get("date", datetime.date(2025, 9, 26)),
        status=values.get("status", AnnouncementStatus.IN_FORCE),
    )


def _screen(world, name="Huntington Ingalls Industries"):
    return screening_run(
        organisation=world.organisation,
        names=[name],
        country="US",
        source=Screening.Source.PAGE,
        user=world.users["manager"],
    )


def _listed_hits(screening, screening_list):
    return [
        hit
        for hit in screening.hits.select_related("entity__version")
        if hit.entity.version.screening_list_id == screening_list.pk
    ]


def test_publishing_needs_the_announcement_and_a_new_version(chamber, chamber_list, world):
    organisation, users = chamber
    with pytest.raises(ValidationError) as error:
        _publish(chamber, chamber_list, number=" ", date=None)
    assert set(error.value.message_dict) == {"announcement_number", "announcement_date"}
    with pytest.raises(ValidationError, match="future"):
        _publish(chamber, chamber_list, date=datetime.date.today() + datetime.timedelta(days=2))
    update = _publish(chamber, chamber_list)
    assert (update.version, update.announcement_number) == (chamber_list.current_version, NO_51)
    with pytest.raises(ValidationError, match="already been published"):
        _publish(chamber, chamber_list)
    # Staff of the chamber cannot publish; a list of another organisation cannot be published.
    with pytest.raises(PermissionDenied):
        services.list_update_publish(
            organisation=organisation,
            actor=users["staff"],
            screening_list=chamber_list,
            announcement_number=NO_51,
            announcement_date=datetime.date(2025, 9, 26),
        )
    member_list = ScreeningListFactory(organisation=world.organisation)
    with pytest.raises(ValidationError, match="own screening lists"):
        _publish(chamber, member_list)
    assert ListUpdate.objects.count() == 1


def test_members_are_told_and_a_non_subscriber_does_not_see_the_list(
    chamber, chamber_list, world, django_capture_on_commit_callbacks
):
    outsider_chamber, _users = chamber_with_staff(slug="other-chamber")
    ChamberMembershipFactory(
        organisation=outsider_chamber.organisation, member=world.other_organisation
    )
    with django_capture_on_commit_callbacks(execute=True):
        update = _publish(chamber, chamber_list)
    notified = Notification.objects.filter(
        kind="chamber_list_update", key=f"chamber_list_update:{update.pk}"
    )
    assert {n.organisation for n in notified} == {world.organisation}
    assert NO_51 in notified.first().title
    [shared] = shared_lists_for_member(organisation=world.organisation)
    assert (shared.screening_list, shared.subscribed) == (chamber_list, False)
    assert shared_lists_for_member(organisation=world.other_organisation) == []
    # Published is not yet screened against: the member has not opted in.
    assert chamber_list not in list_visible(organisation=world.organisation)
    with pytest.raises(Http404):
        list_get(organisation=world.organisation, pk=chamber_list.pk)
    assert _listed_hits(_screen(world), chamber_list) == []


def test_a_subscriber_screens_against_the_list_read_only(
    chamber, chamber_list, world, django_capture_on_commit_callbacks
):
    _publish(chamber, chamber_list)
    manager = world.users["manager"]
    PartyFactory(organisation=world.organisation, name="Huntington Ingalls Industries")
    with pytest.raises(PermissionDenied):
        services.list_subscription_set(
            organisation=world.organisation,
            actor=world.users["executive"],
            screening_list=chamber_list,
            active=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.list_subscription_set(
            organisation=world.organisation, actor=manager, screening_list=chamber_list, active=True
        )
    # Subscribing re-screens the member's parties.
    assert Job.objects.filter(kind=RESCREEN_KIND, organisation=world.organisation).exists()
    assert list_get(organisation=world.organisation, pk=chamber_list.pk) == chamber_list
    version = version_get(organisation=world.organisation, pk=chamber_list.current_version_id)
    entity = entity_get(organisation=world.organisation, pk=version.entities.get().pk)
    assert entity.name == "Huntington Ingalls Industries"
    membership = world.users["manager"].memberships.get(organisation=world.organisation)
    assert not list_can_manage(user=manager, membership=membership, screening_list=chamber_list)
    [hit] = _listed_hits(_screen(world), chamber_list)
    assert hit.entity == entity
    # Other organisations still do not see it.
    assert chamber_list not in list_visible(organisation=world.other_organisation)


def test_a_new_version_re_screens_the_subscribers_only(
    chamber, chamber_list, world, django_capture_on_commit_callbacks
):
    _publish(chamber, chamber_list)
    services.list_subscription_set(
        organisation=world.organisation,
        actor=world.users["manager"],
        screening_list=chamber_list,
        active=True,
    )
    other_member = ChamberMembershipFactory(organisation=chamber[0]).member
    Job.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        version = add_entity(chamber_list, "CN-2025-51-2", "Planate Management Group")
    jobs = Job.objects.filter(kind=RESCREEN_KIND, params__version_id=version.pk)
    assert world.organisation.pk in {job.organisation_id for job in jobs}
    assert other_member.pk not in {job.organisation_id for job in jobs}


def test_leaving_the_chamber_or_unsubscribing_ends_screening(chamber, chamber_list, world):
    organisation, _users = chamber
    _publish(chamber, chamber_list)
    manager = world.users["manager"]
    services.list_subscription_set(
        organisation=world.organisation, actor=manager, screening_list=chamber_list, active=True
    )
    services.list_subscription_set(
        organisation=world.organisation, actor=manager, screening_list=chamber_list, active=False
    )
    assert chamber_list not in list_visible(organisation=world.organisation)
    services.list_subscription_set(
        organisation=world.organisation, actor=manager, screening_list=chamber_list, active=True
    )
    membership = world.organisation.chamber_memberships.get(organisation=organisation)
    services.chamber_membership_leave(membership=membership, actor=manager)
    assert ChamberMembership.objects.get(pk=membership.pk).status == ChamberMembershipStatus.LEFT
    assert chamber_list not in list_visible(organisation=world.organisation)
    with pytest.raises(ValidationError, match="not published by one of your chambers"):
        services.list_subscription_set(
            organisation=world.organisation,
            actor=manager,
            screening_list=chamber_list,
            active=True,
        )
    # Every step is in the member's history.
    assert ListSubscription.history.filter(organisation=world.organisation).count() == 3


def test_status_of_the_announcement_is_kept_with_history(chamber, chamber_list, world):
    _organisation, users = chamber
    update = _publish(chamber, chamber_list, number="商务部公告2025年第21号")
    services.list_update_status_set(
        list_update=update, actor=users["manager"], status=AnnouncementStatus.SUSPENDED
    )
    update.refresh_from_db()
    assert update.status == AnnouncementStatus.SUSPENDED
    assert update.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.list_update_status_set(
            list_update=update, actor=world.users["manager"], status=AnnouncementStatus.REVOKED
        )


def test_pages(chamber, chamber_list, world, client):
    _organisation, users = chamber
    client.force_login(users["manager"])
    page = client.post(
        reverse("chambers:list_updates"),
        {
            "screening_list": chamber_list.pk,
            "announcement_number": NO_51,
            "announcement_date": "2025-09-26",
            "status": "in_force",
        },
    )
    assert page.status_code == 302
    assert ListUpdate.objects.get().announcement_number == NO_51
    client.force_login(world.users["manager"])
    page = client.get(reverse("chambers:shared_lists")).content.decode()
    assert NO_51 in page and 'data-testid="subscribe"' in page
    client.post(reverse("chambers:list_subscription", args=[chamber_list.pk]), {"active": "1"})
    page = client.get(reverse("screening:list_detail", args=[chamber_list.pk]))
    assert page.status_code == 200
    assert reverse("screening:list_import", args=[chamber_list.pk]) not in page.content.decode()
    # The member cannot change the chamber's list.
    for name in (
        "screening:list_import",
        "screening:entity_create",
        "screening:list_severity",
        "screening:announcement_add",
    ):
        assert client.post(reverse(name, args=[chamber_list.pk]), {}).status_code == 403
    assert ScreeningList.objects.get(pk=chamber_list.pk).current_version.number == 1
