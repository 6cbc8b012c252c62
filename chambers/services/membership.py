"""Membership: the chamber's invitations, the member's answer, leaving, and consent to share
status."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Organisation
from accounts.permissions import require_role

from ..models import (
    ChamberMembership,
    ChamberMembershipStatus,
)
from .common import _log_for_member, _require_chamber, chamber_of


@transaction.atomic
def chamber_member_invite(*, organisation, actor, credit_code: str) -> ChamberMembership:
    """Invite the organisation with this unified social credit code into the chamber. An
    organisation that declined or left is invited again; a current member or a pending
    invitation is refused."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=actor)
    _require_chamber(organisation)
    code = (credit_code or "").strip().upper()
    member = Organisation.objects.filter(unified_social_credit_code=code, is_active=True).first()
    if member is None:
        raise ValidationError(
            {
                "credit_code": _(
                    "No organisation with this unified social credit code uses the workbench."
                )
            }
        )
    if member.pk == organisation.pk:
        raise ValidationError({"credit_code": _("A chamber cannot invite itself.")})
    if chamber_of(member) is not None:
        raise ValidationError({"credit_code": _("This organisation is itself a chamber.")})
    membership = (
        ChamberMembership.objects.for_organisation(organisation)
        .select_for_update()
        .filter(member=member)
        .first()
    )
    if membership is not None and membership.status in (
        ChamberMembershipStatus.ACTIVE,
        ChamberMembershipStatus.INVITED,
    ):
        raise ValidationError(
            {"credit_code": _("This organisation is already a member or has been invited.")}
        )
    membership = membership or ChamberMembership(organisation=organisation, member=member)
    membership.status = ChamberMembershipStatus.INVITED
    membership.shares_status = False
    membership.invited_by = actor
    membership.invited_at = timezone.now()
    membership.decided_by = None
    membership.joined_at = None
    membership.left_at = None
    # simple_history reads who changed it from this attribute (no model field, so no type).
    membership._history_user = actor  # type: ignore[union-attr]
    membership.save()
    return membership


def _member_decision(membership, actor) -> None:
    require_role(
        roles=roles.CHAMBER_MEMBERSHIP_DECIDERS,
        organisation=membership.member,
        user=actor,
        message=_("Only the compliance manager or management decide on chamber memberships."),
    )


def _locked(membership) -> ChamberMembership:
    return ChamberMembership.objects.select_for_update().get(pk=membership.pk)


@transaction.atomic
def chamber_membership_accept(*, membership, actor, shares_status: bool) -> ChamberMembership:
    """The invited organisation joins the chamber, sharing its programme status or not."""
    _member_decision(membership, actor)
    membership = _locked(membership)
    if membership.status != ChamberMembershipStatus.INVITED:
        raise ValidationError(_("This invitation is no longer open."))
    membership.status = ChamberMembershipStatus.ACTIVE
    membership.shares_status = bool(shares_status)
    membership.decided_by = actor
    membership.joined_at = timezone.now()
    membership._history_user = actor
    membership.save()
    _log_for_member(membership, actor, "joined")
    return membership


@transaction.atomic
def chamber_membership_decline(*, membership, actor) -> ChamberMembership:
    """The invited organisation says no; the chamber may invite it again later."""
    _member_decision(membership, actor)
    membership = _locked(membership)
    if membership.status != ChamberMembershipStatus.INVITED:
        raise ValidationError(_("This invitation is no longer open."))
    membership.status = ChamberMembershipStatus.DECLINED
    membership.decided_by = actor
    membership._history_user = actor
    membership.save()
    _log_for_member(membership, actor, "declined")
    return membership


@transaction.atomic
def chamber_membership_leave(*, membership, actor) -> ChamberMembership:
    """The member leaves: the chamber stops seeing its status at once, updates stop."""
    _member_decision(membership, actor)
    membership = _locked(membership)
    if membership.status != ChamberMembershipStatus.ACTIVE:
        raise ValidationError(_("Your organisation is not a member of this chamber."))
    membership.status = ChamberMembershipStatus.LEFT
    membership.shares_status = False
    membership.left_at = timezone.now()
    membership.decided_by = actor
    membership._history_user = actor
    membership.save()
    _log_for_member(membership, actor, "left")
    return membership


@transaction.atomic
def chamber_membership_consent_set(*, membership, actor, shares_status: bool) -> ChamberMembership:
    """The member gives or withdraws its consent to share its programme status."""
    _member_decision(membership, actor)
    membership = _locked(membership)
    if membership.status != ChamberMembershipStatus.ACTIVE:
        raise ValidationError(_("Your organisation is not a member of this chamber."))
    if membership.shares_status == bool(shares_status):
        return membership
    membership.shares_status = bool(shares_status)
    membership._history_user = actor
    membership.save()
    _log_for_member(membership, actor, "consent" if shares_status else "consent_withdrawn")
    return membership
