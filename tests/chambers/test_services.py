"""Chamber rules: invitations, answers, leaving, consent, publishing and delivery."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chambers import services
from chambers.hooks import chamber_update_reminders
from chambers.models import ChamberMembershipStatus, PublicationStatus
from chambers.selectors import publications_for_member
from records.models import EventLogEntry, Notification
from tests.chambers.factories import (
    ChamberMembershipFactory,
    PublicationFactory,
    chamber_with_staff,
)

pytestmark = pytest.mark.django_db

UPDATE = {
    "kind": "regulatory_update",
    "title_zh": "出口管制管控名单调整",
    "title_en": "Change to the control list",
    "announcement_number": "商务部公告2025年第1号",
    "announcement_date": datetime.date(2025, 1, 2),
    "summary_zh": "新增实体。",
    "action_zh": "请重新筛查客户。",
}


@pytest.fixture
def chamber(world):
    return chamber_with_staff()


def _invite(chamber, world):
    _chamber, users = chamber
    return services.chamber_member_invite(
        organisation=_chamber.organisation,
        actor=users["manager"],
        credit_code=world.organisation.unified_social_credit_code.lower(),
    )


def test_invite_accept_leave_and_invite_again(chamber, world):
    membership = _invite(chamber, world)
    assert membership.status == ChamberMembershipStatus.INVITED
    assert membership.member == world.organisation
    services.chamber_membership_accept(
        membership=membership, actor=world.users["executive"], shares_status=True
    )
    membership.refresh_from_db()
    assert membership.status == ChamberMembershipStatus.ACTIVE
    assert membership.shares_status
    services.chamber_membership_leave(membership=membership, actor=world.users["manager"])
    membership.refresh_from_db()
    assert membership.status == ChamberMembershipStatus.LEFT
    assert not membership.shares_status
    again = _invite(chamber, world)
    assert again.pk == membership.pk
    assert again.status == ChamberMembershipStatus.INVITED


def test_both_organisations_event_logs_record_the_steps(chamber, world):
    membership = _invite(chamber, world)
    services.chamber_membership_accept(
        membership=membership, actor=world.users["manager"], shares_status=False
    )
    chamber_log = EventLogEntry.objects.filter(
        organisation=chamber[0].organisation, record_type="chambers.chambermembership"
    )
    member_log = EventLogEntry.objects.filter(
        organisation=world.organisation, record_type="chambers.chambermembership"
    )
    assert chamber_log.count() == 2  # invited, then joined
    assert [entry.details["chamber_membership"] for entry in member_log] == ["joined"]


def test_invitation_refusals(chamber, world):
    _chamber, users = chamber
    _invite(chamber, world)
    with pytest.raises(ValidationError, match="already a member"):
        _invite(chamber, world)
    with pytest.raises(ValidationError, match="No organisation"):
        services.chamber_member_invite(
            organisation=_chamber.organisation,
            actor=users["manager"],
            credit_code="91320594MA1MXK7Q0X",
        )
    with pytest.raises(ValidationError, match="itself"):
        services.chamber_member_invite(
            organisation=_chamber.organisation,
            actor=users["manager"],
            credit_code=_chamber.organisation.unified_social_credit_code,
        )
    with pytest.raises(PermissionDenied):
        services.chamber_member_invite(
            organisation=_chamber.organisation,
            actor=users["staff"],
            credit_code=world.other_organisation.unified_social_credit_code,
        )


def test_an_enterprise_cannot_invite(world):
    with pytest.raises(ValidationError, match="not a chamber"):
        services.chamber_member_invite(
            organisation=world.organisation,
            actor=world.users["manager"],
            credit_code=world.other_organisation.unified_social_credit_code,
        )


def test_only_deciders_of_the_member_answer(chamber, world):
    membership = _invite(chamber, world)
    for persona in ("auditor", "staff", "outsider"):
        with pytest.raises(PermissionDenied):
            services.chamber_membership_accept(
                membership=membership, actor=world.users[persona], shares_status=True
            )
    # The chamber's own compliance manager cannot answer for the member either.
    with pytest.raises(PermissionDenied):
        services.chamber_membership_accept(
            membership=membership, actor=chamber[1]["manager"], shares_status=True
        )
    membership.refresh_from_db()
    assert membership.status == ChamberMembershipStatus.INVITED


def test_answered_invitation_cannot_be_answered_again(chamber, world):
    membership = _invite(chamber, world)
    services.chamber_membership_decline(membership=membership, actor=world.users["manager"])
    with pytest.raises(ValidationError, match="no longer open"):
        services.chamber_membership_accept(
            membership=membership, actor=world.users["manager"], shares_status=True
        )


def test_consent_is_given_and_withdrawn(chamber, world):
    membership = _invite(chamber, world)
    services.chamber_membership_accept(
        membership=membership, actor=world.users["manager"], shares_status=False
    )
    services.chamber_membership_consent_set(
        membership=membership, actor=world.users["executive"], shares_status=True
    )
    membership.refresh_from_db()
    assert membership.shares_status
    services.chamber_membership_consent_set(
        membership=membership, actor=world.users["executive"], shares_status=False
    )
    membership.refresh_from_db()
    assert not membership.shares_status


def test_regulatory_update_needs_its_announcement(chamber):
    _chamber, users = chamber
    with pytest.raises(ValidationError) as error:
        services.publication_create(
            organisation=_chamber.organisation,
            actor=users["manager"],
            data={"kind": "regulatory_update", "title_zh": "更新"},
        )
    assert set(error.value.message_dict) == {
        "announcement_number",
        "announcement_date",
        "summary_zh",
        "action_zh",
    }
    with pytest.raises(ValidationError) as error:
        services.publication_create(
            organisation=_chamber.organisation,
            actor=users["manager"],
            data={**UPDATE, "effective_date": datetime.date(2024, 12, 1)},
        )
    assert set(error.value.message_dict) == {"effective_date"}
    with pytest.raises(ValidationError) as error:
        services.publication_create(
            organisation=_chamber.organisation,
            actor=users["manager"],
            data={"kind": "policy_template", "title_zh": "范本"},
        )
    assert set(error.value.message_dict) == {"body_zh"}


def test_publish_delivers_to_current_members_only(
    chamber, world, django_capture_on_commit_callbacks
):
    _chamber, users = chamber
    ChamberMembershipFactory(organisation=_chamber.organisation, member=world.organisation)
    ChamberMembershipFactory(
        organisation=_chamber.organisation, member=world.other_organisation, invited=True
    )
    draft = services.publication_create(
        organisation=_chamber.organisation, actor=users["manager"], data=UPDATE
    )
    assert not publications_for_member(organisation=world.organisation).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_publish(publication=draft, actor=users["manager"])
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED
    notified = Notification.objects.filter(kind="chamber_update", key=f"chamber_update:{draft.pk}")
    # The member's compliance manager, auditor and management; not staff, not the invitee.
    assert {n.user for n in notified} == {
        world.users["manager"],
        world.users["auditor"],
        world.users["executive"],
    }
    assert {n.organisation for n in notified} == {world.organisation}
    assert "商务部公告2025年第1号" in notified.first().title
    assert services.publication_deliver(publication=draft) == 0  # idempotent
    with pytest.raises(ValidationError, match="already been published"):
        services.publication_publish(publication=draft, actor=users["manager"])


def test_a_member_that_left_sees_nothing_more(chamber, world):
    _chamber, _users = chamber
    membership = ChamberMembershipFactory(
        organisation=_chamber.organisation, member=world.organisation
    )
    update = PublicationFactory(organisation=_chamber.organisation)
    PublicationFactory(organisation=_chamber.organisation, status=PublicationStatus.DRAFT)
    assert list(publications_for_member(organisation=world.organisation)) == [update]
    assert len(list(chamber_update_reminders(world.organisation, None))) == 1
    services.chamber_membership_leave(membership=membership, actor=world.users["manager"])
    assert not publications_for_member(organisation=world.organisation).exists()
    assert list(chamber_update_reminders(world.organisation, None)) == []
