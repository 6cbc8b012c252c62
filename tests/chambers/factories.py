import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.roles import Role
from chambers.models import (
    Chamber,
    ChamberMembership,
    ChamberMembershipStatus,
    ListUpdate,
    Publication,
    PublicationKind,
    PublicationStatus,
)
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.screening.factories import ScreeningListFactory, add_entity


class ChamberFactory(DjangoModelFactory):
    class Meta:
        model = Chamber
        django_get_or_create = ["organisation"]

    organisation = factory.SubFactory(
        OrganisationFactory,
        name_zh=factory.Sequence(lambda n: f"测试商会{n}"),
        name_en=factory.Sequence(lambda n: f"Test Chamber {n}"),
    )


class ChamberMembershipFactory(DjangoModelFactory):
    class Meta:
        model = ChamberMembership

    organisation = factory.LazyAttribute(lambda _o: ChamberFactory().organisation)
    member = factory.SubFactory(OrganisationFactory)
    status = ChamberMembershipStatus.ACTIVE
    shares_status = True
    invited_at = factory.LazyFunction(timezone.now)
    joined_at = factory.LazyFunction(timezone.now)

    class Params:
        invited = factory.Trait(status=ChamberMembershipStatus.INVITED, joined_at=None)


class PublicationFactory(DjangoModelFactory):
    class Meta:
        model = Publication

    kind = PublicationKind.REGULATORY_UPDATE
    status = PublicationStatus.PUBLISHED
    title_zh = "《两用物项出口管制清单》调整"
    title_en = "Change to the dual-use control list"
    announcement_number = "商务部公告2024年第51号"
    announcement_date = datetime.date(2024, 11, 15)
    summary_zh = "清单调整，自2024年12月1日起施行。"
    action_zh = "请复核物料归类。"
    created_by = factory.SubFactory(UserFactory)
    published_at = factory.LazyFunction(timezone.now)


def chamber_with_staff(slug="chamber"):
    """A chamber organisation with one member of each role, keyed like the personas."""
    chamber = ChamberFactory(
        organisation=OrganisationFactory(
            slug=slug, name_zh="测试进出口商会", name_en="Test Chamber"
        )
    )
    users = {
        persona: MembershipFactory(
            organisation=chamber.organisation,
            role=role,
            user=UserFactory(email=f"{persona}@{slug}.test"),
        ).user
        for persona, role in {
            "manager": Role.COMPLIANCE_MANAGER,
            "auditor": Role.AUDITOR,
            "executive": Role.MANAGEMENT,
            "staff": Role.STAFF,
        }.items()
    }
    return chamber, users


class ListUpdateFactory(DjangoModelFactory):
    """The current version of a chamber's list, published (give screening_list)."""

    class Meta:
        model = ListUpdate

    organisation = factory.LazyAttribute(lambda o: o.screening_list.organisation)
    version = factory.LazyAttribute(lambda o: o.screening_list.current_version)
    announcement_number = "商务部公告2025年第51号"
    announcement_date = datetime.date(2025, 9, 26)
    published_by = factory.SubFactory(UserFactory)
    published_at = factory.LazyFunction(timezone.now)


def shared_list(chamber_organisation, name="Huntington Ingalls Industries", **update):
    """A list the chamber keeps, with one entity, published to its members."""
    screening_list = ScreeningListFactory(organisation=chamber_organisation)
    add_entity(screening_list, "CN-2025-51-1", name)
    screening_list.refresh_from_db()
    ListUpdateFactory(screening_list=screening_list, **update)
    return screening_list
