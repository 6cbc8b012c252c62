"""Chamber rules: invitations, joining and leaving, consent, publishing and delivery.

Every write checks the actor's role in the organisation acting (the chamber for invitations and
publications, the member for answers, leaving and consent). Changes reach the chamber's event
log through the models' history; the member's own steps are also appended to the member's log,
because joining or leaving a chamber and sharing status are its decisions.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Organisation
from accounts.permissions import require_role
from core.jobs import job_enqueue
from records.services.eventlog import event_log_append
from records.services.reminders import reminders_notify

from .models import (
    Chamber,
    ChamberMembership,
    ChamberMembershipStatus,
    Publication,
    PublicationKind,
    PublicationStatus,
)

DELIVERY_JOB = "chambers.publication_deliver"


def chamber_of(organisation) -> Chamber | None:
    """The organisation's chamber profile, None when it is not a chamber."""
    if organisation is None:
        return None
    return Chamber.objects.filter(organisation=organisation).first()


def chamber_register(*, organisation, kind: str = Chamber.Kind.CHAMBER_OF_COMMERCE) -> Chamber:
    """Mark an organisation as a chamber (idempotent). Done by the installation's operators."""
    chamber, _created = Chamber.objects.get_or_create(
        organisation=organisation, defaults={"kind": kind}
    )
    return chamber


def _require_chamber(organisation) -> Chamber:
    chamber = chamber_of(organisation)
    if chamber is None:
        raise ValidationError(_("This organisation is not a chamber of commerce."))
    return chamber


def _log_for_member(membership: ChamberMembership, actor, step: str) -> None:
    event_log_append(
        organisation=membership.member,
        action="change",
        actor=actor,
        target=membership,
        details={"chamber_membership": step, "shares_status": membership.shares_status},
    )


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


PUBLICATION_FIELDS = (
    "kind",
    "title_zh",
    "title_en",
    "announcement_number",
    "announcement_date",
    "effective_date",
    "summary_zh",
    "summary_en",
    "action_zh",
    "action_en",
    "body_zh",
    "body_en",
)


def _publication_check(data: dict) -> None:
    errors = {}
    if data.get("kind") == PublicationKind.REGULATORY_UPDATE:
        for name, message in (
            ("announcement_number", _("Give the announcement's number.")),
            ("announcement_date", _("Give the announcement's date.")),
            ("summary_zh", _("Summarise the announcement in Chinese.")),
            ("action_zh", _("Say in Chinese what members should do.")),
        ):
            if not data.get(name):
                errors[name] = message
        effective, announced = data.get("effective_date"), data.get("announcement_date")
        if effective and announced and effective < announced:
            errors["effective_date"] = _("An announcement cannot be in force before its date.")
    elif not data.get("body_zh"):
        errors["body_zh"] = _("A template needs its text in Chinese.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def publication_create(*, organisation, actor, data: dict) -> Publication:
    """A draft publication of the chamber; checked as it would be published."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=actor)
    _require_chamber(organisation)
    values = {name: data.get(name) for name in PUBLICATION_FIELDS if name in data}
    _publication_check(values)
    publication = Publication(organisation=organisation, created_by=actor, **values)
    publication._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    publication.save()
    return publication


@transaction.atomic
def publication_publish(*, publication, actor) -> Publication:
    """Publish a draft to every member; its notifications go out in a background job.
    Publishing twice is refused: a published text is not changed."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=publication.organisation, user=actor)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status != PublicationStatus.DRAFT:
        raise ValidationError(_("This publication has already been published."))
    _publication_check({name: getattr(publication, name) for name in PUBLICATION_FIELDS})
    publication.status = PublicationStatus.PUBLISHED
    publication.published_by = actor
    publication.published_at = timezone.now()
    publication._history_user = actor
    publication.save()
    if publication.is_regulatory_update:
        transaction.on_commit(
            lambda: job_enqueue(
                kind=DELIVERY_JOB,
                organisation=publication.organisation,
                created_by=actor,
                params={"publication_id": publication.pk},
            )
        )
    return publication


def publication_deliver(*, publication, progress=None) -> int:
    """Put a published regulatory update in the notification centre of every current member
    (idempotent: the reminders run creates each notification once). Returns how many are new."""
    members = list(
        Organisation.objects.filter(
            chamber_memberships__organisation=publication.organisation,
            chamber_memberships__status=ChamberMembershipStatus.ACTIVE,
            is_active=True,
        ).order_by("pk")
    )
    created = 0
    for index, member in enumerate(members, start=1):
        created += reminders_notify(organisation=member)
        if progress is not None:
            progress(int(index * 100 / len(members)), member.name)
    return created
