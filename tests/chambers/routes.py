"""Permission-table rows for chambers.

The chamber's pages are read by its compliance managers, auditors and management and kept by
its compliance managers; in an organisation that is not a chamber they answer 404 (so an
outsider, whose organisation is no chamber, gets 404). A member's pages are open to every
member; joining, leaving and consent are the member's compliance manager's and management's.
"""

from tests.routes import EDITORS, EVERY_MEMBER, READERS, Route, expect, own_record

CHAMBER_READERS = own_record(READERS)
CHAMBER_EDITORS = own_record(EDITORS)
CHAMBER_POST = own_record({**EDITORS, "manager": 302})
DECIDE_POST = own_record(expect(manager=302, auditor=403, executive=302, staff=403))


def _as_chamber(world):
    """The test organisation is the chamber; the other organisation is none."""
    from tests.chambers.factories import ChamberFactory

    ChamberFactory(organisation=world.organisation)
    return []


def _publication(world):
    from chambers.models import PublicationStatus
    from tests.chambers.factories import PublicationFactory

    _as_chamber(world)
    publication = PublicationFactory(
        organisation=world.organisation,
        created_by=world.users["manager"],
        status=PublicationStatus.DRAFT,
        published_at=None,
    )
    return [publication.pk]


def _invite_data(world):
    return {"credit_code": world.other_organisation.unified_social_credit_code}


def _publication_data(world):
    return {
        "kind": "regulatory_update",
        "title_zh": "清单调整",
        "announcement_number": "商务部公告2025年第1号",
        "announcement_date": "2025-01-02",
        "summary_zh": "新增物项。",
        "action_zh": "请复核归类。",
    }


def _membership(world, invited=True):
    """The test organisation's own membership in a chamber of a third organisation."""
    from tests.chambers.factories import ChamberMembershipFactory

    membership = ChamberMembershipFactory(member=world.organisation, invited=invited)
    return [membership.pk]


def _active_membership(world):
    return _membership(world, invited=False)


def _member_update(world):
    from tests.chambers.factories import ChamberMembershipFactory, PublicationFactory

    membership = ChamberMembershipFactory(member=world.organisation)
    return [PublicationFactory(organisation=membership.organisation).pk]


def _member_adoptable(world):
    """Manual settings a chamber of the test organisation recommends (adopting them is cheap)."""
    from chambers.models import PublicationKind
    from tests.chambers.factories import ChamberMembershipFactory, PublicationFactory

    membership = ChamberMembershipFactory(member=world.organisation)
    publication = PublicationFactory(
        organisation=membership.organisation,
        kind=PublicationKind.MANUAL_SETTINGS,
        announcement_number="",
        announcement_date=None,
        content={"language": "zh-hans", "edition": "concise", "foreign_law_annex": False},
    )
    return [publication.pk]


def _chamber_list(world):
    """The test organisation is a chamber keeping a list with one version."""
    from tests.screening.factories import ScreeningListFactory, add_entity

    _as_chamber(world)
    screening_list = ScreeningListFactory(organisation=world.organisation, code="CHAMBER-CN")
    add_entity(screening_list, "CN-1", "Huntington Ingalls Industries")
    return []


def _list_update_data(world):
    from screening.models import ScreeningList

    screening_list = ScreeningList.objects.get(organisation=world.organisation, code="CHAMBER-CN")
    return {
        "screening_list": screening_list.pk,
        "announcement_number": "商务部公告2025年第51号",
        "announcement_date": "2025-09-26",
        "status": "in_force",
    }


def _list_update(world):
    from tests.chambers.factories import ListUpdateFactory
    from tests.screening.factories import ScreeningListFactory, add_entity

    _as_chamber(world)
    screening_list = ScreeningListFactory(organisation=world.organisation, code="CHAMBER-CN")
    add_entity(screening_list, "CN-1", "Huntington Ingalls Industries")
    screening_list.refresh_from_db()
    return [
        ListUpdateFactory(screening_list=screening_list, published_by=world.users["manager"]).pk
    ]


def _shared_list(world):
    """A list that a chamber of the test organisation published."""
    from tests.chambers.factories import ChamberMembershipFactory, shared_list

    membership = ChamberMembershipFactory(member=world.organisation)
    return [shared_list(membership.organisation).pk]


ROUTES = [
    Route("chambers:home", CHAMBER_READERS, args=_as_chamber),
    Route(
        "chambers:home",
        CHAMBER_POST,
        args=_as_chamber,
        method="post",
        data=_invite_data,
        id="chambers:home:invite",
    ),
    Route("chambers:members_view", CHAMBER_READERS, args=_as_chamber),
    Route("chambers:publication_list", CHAMBER_READERS, args=_as_chamber),
    Route("chambers:publication_create", CHAMBER_EDITORS, args=_as_chamber),
    Route(
        "chambers:publication_create",
        CHAMBER_POST,
        args=_as_chamber,
        method="post",
        data=_publication_data,
    ),
    Route("chambers:publication_detail", CHAMBER_READERS, args=_publication),
    Route("chambers:publication_publish", CHAMBER_POST, args=_publication, method="post"),
    Route("chambers:my_chambers", EVERY_MEMBER),
    Route("chambers:membership_accept", DECIDE_POST, args=_membership, method="post"),
    Route("chambers:membership_decline", DECIDE_POST, args=_membership, method="post"),
    Route("chambers:membership_leave", DECIDE_POST, args=_active_membership, method="post"),
    Route(
        "chambers:membership_consent",
        DECIDE_POST,
        args=_active_membership,
        method="post",
        data=lambda world: {"shares_status": "1"},
    ),
    Route("chambers:update_detail", own_record(EVERY_MEMBER), args=_member_update),
    Route(
        "chambers:update_detail",
        own_record(EVERY_MEMBER),
        args=_member_adoptable,
        id="chambers:update_detail:adoptable",
    ),
    # The member's compliance manager adopts what its chamber shares.
    Route("chambers:publication_adopt", CHAMBER_POST, args=_member_adoptable, method="post"),
    Route("chambers:list_updates", CHAMBER_READERS, args=_as_chamber),
    Route(
        "chambers:list_updates",
        CHAMBER_POST,
        args=_chamber_list,
        method="post",
        data=_list_update_data,
    ),
    Route(
        "chambers:list_update_status",
        CHAMBER_POST,
        args=_list_update,
        method="post",
        data=lambda world: {"status": "suspended"},
    ),
    Route("chambers:shared_lists", expect(staff=403)),
    Route(
        "chambers:list_subscription",
        CHAMBER_POST,
        args=_shared_list,
        method="post",
        data=lambda world: {"active": "1"},
    ),
]
