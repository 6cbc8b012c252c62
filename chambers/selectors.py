"""Scoped reads for chambers and their members.

The members' view reads a member's programme through the programme's own selectors
(icp.selectors.overview), and only what those return: element states, readiness, overdue
counts and the last audit's result. Nothing here reads a member's transactions, parties or
documents, and a member that does not consent is only counted in figures that are shown when
enough members stand behind them that none can be singled out.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from icp.selectors.licence_readiness import general_licence_checks
from icp.selectors.overview import (
    OK,
    AuditResult,
    ElementStatus,
    last_audit_result,
    programme_overview,
)
from reference.selectors import element_list

from .models import (
    ADOPTABLE_KINDS,
    Adoption,
    ChamberMembership,
    ChamberMembershipStatus,
    ListSubscription,
    ListUpdate,
    Publication,
    PublicationKind,
    PublicationStatus,
)

# Aggregates of members that do not share their status are shown only when at least this many
# stand behind them, so that no single member's state can be read from the figures.
MIN_ANONYMOUS_GROUP = 3
UPDATES_ON_OVERVIEW = 5


def chamber_memberships(*, organisation):
    """The chamber's members and invitations, current ones first."""
    return (
        ChamberMembership.objects.for_organisation(organisation)
        .select_related("member", "invited_by")
        .order_by("status", "member__slug")
    )


def memberships_of_member(*, organisation):
    """The chambers an organisation belongs to or is invited to (any status)."""
    return (
        ChamberMembership.objects.filter(member=organisation)
        .select_related("organisation", "organisation__chamber")
        .order_by("status", "organisation__slug")
    )


def member_membership_get(*, organisation, pk) -> ChamberMembership:
    """One of the organisation's own chamber memberships, or DoesNotExist."""
    return memberships_of_member(organisation=organisation).get(pk=pk)


def publications(*, organisation):
    """The chamber's own publications, drafts included."""
    return Publication.objects.for_organisation(organisation).select_related(
        "created_by", "published_by"
    )


def publications_for_member(*, organisation, kind: str | None = None):
    """What the organisation's chambers have published, for as long as it is a member."""
    queryset = Publication.objects.filter(
        organisation_id__in=_chambers_of(organisation), status=PublicationStatus.PUBLISHED
    ).select_related("organisation")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-published_at", "-pk")


def member_publication_get(*, organisation, pk) -> Publication:
    """A publication of one of the organisation's chambers, while it is a member, or
    DoesNotExist."""
    return publications_for_member(organisation=organisation).get(pk=pk)


def adoptables_for_member(*, organisation):
    """What the organisation's chambers publish for members to adopt, newest first."""
    return publications_for_member(organisation=organisation).filter(kind__in=ADOPTABLE_KINDS)


def adoptions(*, organisation):
    """What the organisation has adopted from chambers (also from chambers it has left)."""
    return Adoption.objects.for_organisation(organisation).select_related(
        "publication", "publication__organisation", "adopted_by"
    )


def adoption_of(*, organisation, publication) -> Adoption | None:
    return adoptions(organisation=organisation).filter(publication=publication).first()


def regulatory_updates_for_member(*, organisation, since: datetime.datetime | None = None):
    queryset = publications_for_member(
        organisation=organisation, kind=PublicationKind.REGULATORY_UPDATE
    )
    if since is not None:
        queryset = queryset.filter(published_at__gte=since)
    return queryset


def shared_content_for_member(*, organisation, since: datetime.datetime | None = None):
    """What the organisation's chambers shared for it to use or adopt (templates, list and
    catalogue versions, courses, manual settings): everything published but regulatory updates."""
    queryset = publications_for_member(organisation=organisation).exclude(
        kind=PublicationKind.REGULATORY_UPDATE
    )
    if since is not None:
        queryset = queryset.filter(published_at__gte=since)
    return queryset


def _chambers_of(organisation):
    return ChamberMembership.objects.filter(
        member=organisation, status=ChamberMembershipStatus.ACTIVE
    ).values("organisation_id")


def list_updates(*, organisation):
    """The chamber's own list updates, newest first."""
    return ListUpdate.objects.for_organisation(organisation).select_related(
        "screening_list", "version", "published_by"
    )


def list_update_get(*, organisation, pk) -> ListUpdate:
    """One of the chamber's own list updates, or DoesNotExist."""
    return list_updates(organisation=organisation).get(pk=pk)


def list_updates_for_member(*, organisation, since: datetime.datetime | None = None):
    """The list updates the organisation's chambers published, while it is a member."""
    queryset = (
        ListUpdate.objects.filter(organisation_id__in=_chambers_of(organisation))
        .select_related("organisation", "screening_list", "version")
        .order_by("-published_at", "-pk")
    )
    if since is not None:
        queryset = queryset.filter(published_at__gte=since)
    return queryset


def subscribed_list_ids(organisation):
    """The ids of the lists the organisation screens against through its chambers (a
    subquery; registered with screening.hooks in apps.py)."""
    return ListSubscription.objects.filter(
        organisation=organisation,
        is_active=True,
        screening_list__organisation_id__in=_chambers_of(organisation),
    ).values("screening_list_id")


def subscribed_members(*, screening_list):
    """The ids of the member organisations that screen against a chamber's list."""
    return ListSubscription.objects.filter(
        screening_list=screening_list,
        is_active=True,
        organisation__chamber_memberships__organisation_id=screening_list.organisation_id,
        organisation__chamber_memberships__status=ChamberMembershipStatus.ACTIVE,
    ).values("organisation_id")


@dataclass
class SharedList:
    """A list one of the member's chambers keeps, with its latest update and whether the
    member screens against it."""

    screening_list: object
    latest: ListUpdate
    subscribed: bool


def shared_lists_for_member(*, organisation) -> list[SharedList]:
    """Every list the organisation's chambers have published an update of."""
    latest: dict[int, ListUpdate] = {}
    for update in list_updates_for_member(organisation=organisation):
        latest.setdefault(update.screening_list_id, update)
    subscribed = set(
        ListSubscription.objects.filter(organisation=organisation, is_active=True).values_list(
            "screening_list_id", flat=True
        )
    )
    return [
        SharedList(update.screening_list, update, update.screening_list_id in subscribed)
        for update in sorted(
            latest.values(), key=lambda u: (str(u.organisation), u.screening_list.code)
        )
    ]


@dataclass
class MemberStatus:
    membership: ChamberMembership
    statuses: list[ElementStatus]
    readiness_met: int
    readiness_total: int
    overdue: int
    last_audit: AuditResult | None

    @property
    def elements_ok(self) -> int:
        return sum(status.state == OK for status in self.statuses)


@dataclass
class AnonymousFigures:
    count: int
    shown: bool
    elements_ok: dict = field(default_factory=dict)  # element code -> members in order
    readiness_average: float = 0.0
    readiness_total: int = 0
    with_overdue: int = 0
    audited_last_year: int = 0


@dataclass
class MembersView:
    elements: list
    sharing: list[MemberStatus]
    others: AnonymousFigures
    invited: int


def _audited_since(status: MemberStatus, since: datetime.datetime) -> bool:
    signed_off_at = status.last_audit.audit.signed_off_at if status.last_audit else None
    return signed_off_at is not None and signed_off_at >= since


def _member_status(membership) -> MemberStatus:
    statuses = programme_overview(organisation=membership.member)
    # The same checks the member's readiness page counts (Art. 16, Art. 20, the nine elements).
    readiness = general_licence_checks(organisation=membership.member, statuses=statuses)
    return MemberStatus(
        membership=membership,
        statuses=statuses,
        readiness_met=readiness.met,
        readiness_total=readiness.total,
        overdue=sum(status.overdue for status in statuses),
        last_audit=last_audit_result(organisation=membership.member),
    )


def members_view(*, organisation) -> MembersView:
    """The chamber's view of its members' programmes: each consenting member's status, and
    anonymised figures for the rest (only above MIN_ANONYMOUS_GROUP members)."""
    current = list(
        chamber_memberships(organisation=organisation).filter(
            status=ChamberMembershipStatus.ACTIVE, member__is_active=True
        )
    )
    invited = (
        chamber_memberships(organisation=organisation)
        .filter(status=ChamberMembershipStatus.INVITED)
        .count()
    )
    sharing = [_member_status(m) for m in current if m.shares_status]
    private = [m for m in current if not m.shares_status]
    others = AnonymousFigures(count=len(private), shown=len(private) >= MIN_ANONYMOUS_GROUP)
    if others.shown:
        year_ago = timezone.now() - datetime.timedelta(days=365)
        statuses = [_member_status(m) for m in private]
        for status in statuses:
            for element in status.statuses:
                others.elements_ok[element.code] = others.elements_ok.get(element.code, 0) + (
                    element.state == OK
                )
        others.readiness_average = round(
            sum(status.readiness_met for status in statuses) / len(statuses), 1
        )
        others.readiness_total = statuses[0].readiness_total
        others.with_overdue = sum(1 for status in statuses if status.overdue)
        others.audited_last_year = sum(1 for status in statuses if _audited_since(status, year_ago))
    return MembersView(
        elements=list(element_list()),
        sharing=sharing,
        others=others,
        invited=invited,
    )
