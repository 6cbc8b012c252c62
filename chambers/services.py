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
from django.utils.translation import gettext_lazy as _lazy

from accounts import roles
from accounts.models import Organisation
from accounts.permissions import require_role
from core.jobs import job_enqueue
from core.models import Job
from icp.services.manual_settings import manual_settings_apply
from icp.services.training_library import shared_course_adopt
from records.services.eventlog import event_log_append
from records.services.reminders import reminders_notify
from screening.jobs import RESCREEN_KIND, rescreen_enqueue
from screening.models import ListVersion
from trade.models import ControlListVersion
from trade.models.control_list import ReferenceListKind
from trade.services import control_list as trade_lists

from . import content as shared_content
from .models import (
    ADOPTABLE_KINDS,
    Adoption,
    AnnouncementStatus,
    Chamber,
    ChamberMembership,
    ChamberMembershipStatus,
    ListSubscription,
    ListUpdate,
    Publication,
    PublicationKind,
    PublicationStatus,
)
from .selectors import subscribed_members

DELIVERY_JOB = "chambers.publication_deliver"
LIST_UPDATE_DELIVERY_JOB = "chambers.list_update_deliver"


def chamber_of(organisation) -> Chamber | None:
    """The organisation's chamber profile, None when it is not a chamber. Read through the
    one-to-one accessor, which Django remembers on the organisation (a found chamber and a missing
    one alike): the panels of one page ask it of the same organisation several times."""
    if organisation is None:
        return None
    try:
        return organisation.chamber
    except Chamber.DoesNotExist:
        return None


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


# The kinds whose text is the publication itself, and what is said when it is missing.
TEXT_KINDS = {
    PublicationKind.POLICY_TEMPLATE: _lazy("A template needs its text in Chinese."),
    PublicationKind.RESPONSE_PLAN_TEMPLATE: _lazy("A template needs its text in Chinese."),
    PublicationKind.TRAINING_COURSE: _lazy("A course needs its material in Chinese."),
}


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
    elif data.get("kind") in TEXT_KINDS and not data.get("body_zh"):
        errors["body_zh"] = str(TEXT_KINDS[data["kind"]])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def publication_create(*, organisation, actor, data: dict) -> Publication:
    """A draft publication of the chamber; checked as it would be published."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=actor)
    _require_chamber(organisation)
    values = {name: data.get(name) for name in PUBLICATION_FIELDS if name in data}
    _publication_check(values)
    values.update(_shared_part(organisation, values.get("kind"), data))
    publication = Publication(organisation=organisation, created_by=actor, **values)
    publication._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    publication.save()
    return publication


LIST_KINDS = {
    PublicationKind.CONTROL_LIST: ReferenceListKind.CONTROL_LIST,
    PublicationKind.CUSTOMS_CATALOGUE: ReferenceListKind.CUSTOMS_CATALOGUE,
}


def _shared_part(organisation, kind, data: dict) -> dict:
    """What members adopt, fixed in the draft: the current version of the chamber's own list
    (its entries), the course's material and quiz, or the manual settings."""
    if kind in LIST_KINDS:
        version = (
            ControlListVersion.objects.filter(organisation=organisation, kind=LIST_KINDS[kind])
            .order_by("-number")
            .first()
        )
        if version is None:
            raise ValidationError(
                {
                    "kind": _(
                        "Import the chamber's list first (on the item pages); its current "
                        "version is shared."
                    )
                }
            )
        if Publication.objects.filter(list_version=version).exists():
            raise ValidationError(
                {
                    "kind": _(
                        "This version of the list has already been shared; import a new "
                        "version first."
                    )
                }
            )
        rows = trade_lists.reference_list_rows(organisation=organisation, kind=LIST_KINDS[kind])
        return {"list_version": version, "content": {"rows": rows, "edition": version.edition}}
    if kind == PublicationKind.TRAINING_COURSE:
        return {"content": shared_content.course_content(data)}
    if kind == PublicationKind.MANUAL_SETTINGS:
        return {"content": shared_content.manual_settings_content(data)}
    return {}


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


def _current_members(chamber_organisation) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            chamber_memberships__organisation=chamber_organisation,
            chamber_memberships__status=ChamberMembershipStatus.ACTIVE,
            is_active=True,
        ).order_by("pk")
    )


def members_notify(*, chamber_organisation, progress=None) -> int:
    """Put what the chamber published in the notification centre of every current member
    (idempotent: the reminders run creates each notification once). Returns how many are new."""
    members = _current_members(chamber_organisation)
    created = 0
    for index, member in enumerate(members, start=1):
        created += reminders_notify(organisation=member)
        if progress is not None:
            progress(int(index * 100 / len(members)), member.name)
    return created


def publication_deliver(*, publication, progress=None) -> int:
    """Notify every current member of a published regulatory update."""
    return members_notify(chamber_organisation=publication.organisation, progress=progress)


# --- screening lists the chamber keeps for its members ------------------------------------------


def _own_list_check(organisation, screening_list) -> None:
    if screening_list.organisation_id != organisation.pk:
        raise ValidationError(
            {"screening_list": _("Only the chamber's own screening lists can be published.")}
        )


@transaction.atomic
def list_update_publish(
    *,
    organisation,
    actor,
    screening_list,
    announcement_number: str,
    announcement_date,
    status: str = AnnouncementStatus.IN_FORCE,
) -> ListUpdate:
    """Publish the current version of one of the chamber's own screening lists to its members,
    with the announcement behind it. Members that screen against the list are re-screened when
    the version is made (screening's own list import); this tells every member about it."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=actor)
    _require_chamber(organisation)
    _own_list_check(organisation, screening_list)
    errors = {}
    number = (announcement_number or "").strip()
    if not number:
        errors["announcement_number"] = _("Give the announcement's number.")
    if announcement_date is None:
        errors["announcement_date"] = _("Give the announcement's date.")
    elif announcement_date > timezone.localdate():
        errors["announcement_date"] = _("An announcement's date cannot be in the future.")
    if status not in AnnouncementStatus.values:
        errors["status"] = _("Choose the announcement's status.")
    version = screening_list.current_version
    if version is None:
        errors["screening_list"] = _("The list has no entries yet: import or enter them first.")
    elif ListUpdate.objects.filter(version=version).exists():
        errors["screening_list"] = _(
            "This version of the list has already been published; make a new version first."
        )
    if errors:
        raise ValidationError(errors)
    update = ListUpdate(
        organisation=organisation,
        screening_list=screening_list,
        version=version,
        announcement_number=number,
        announcement_date=announcement_date,
        status=status,
        published_by=actor,
        published_at=timezone.now(),
    )
    # simple_history reads who published from this attribute (no model field, so no type).
    update._history_user = actor  # type: ignore[attr-defined]
    update.save()
    transaction.on_commit(
        lambda: job_enqueue(
            kind=LIST_UPDATE_DELIVERY_JOB,
            organisation=organisation,
            created_by=actor,
            params={"list_update_id": update.pk},
        )
    )
    return update


@transaction.atomic
def list_update_status_set(*, list_update, actor, status: str) -> ListUpdate:
    """The announcement behind a list update was suspended or revoked (or is in force again).
    Entries themselves change only with a new list version."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=list_update.organisation, user=actor)
    if status not in AnnouncementStatus.values:
        raise ValidationError({"status": _("Choose the announcement's status.")})
    list_update = ListUpdate.objects.select_for_update().get(pk=list_update.pk)
    if list_update.status == status:
        return list_update
    list_update.status = status
    list_update._history_user = actor
    list_update.save()
    return list_update


def _chamber_keeping(member, screening_list) -> ChamberMembership:
    """The member's active membership of the chamber that keeps and published the list."""
    membership = ChamberMembership.objects.filter(
        organisation_id=screening_list.organisation_id,
        member=member,
        status=ChamberMembershipStatus.ACTIVE,
    ).first()
    if (
        membership is None
        or not ListUpdate.objects.filter(
            organisation_id=screening_list.organisation_id, screening_list=screening_list
        ).exists()
    ):
        raise ValidationError(_("This list is not published by one of your chambers."))
    return membership


@transaction.atomic
def list_subscription_set(*, organisation, actor, screening_list, active: bool) -> ListSubscription:
    """The member starts or stops screening its parties against a list its chamber keeps.
    Starting re-screens every party against it in the background. The member decides: the
    lists a company screens against are part of its own programme, so a chamber publishing a
    list changes no member's screening until the member opts in."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=actor)
    if active:
        _chamber_keeping(organisation, screening_list)
    subscription = (
        ListSubscription.objects.for_organisation(organisation)
        .select_for_update()
        .filter(screening_list=screening_list)
        .first()
    )
    if subscription is None:
        if not active:
            raise ValidationError(_("Your organisation does not screen against this list."))
        subscription = ListSubscription(organisation=organisation, screening_list=screening_list)
    elif subscription.is_active == active:
        return subscription
    subscription.is_active = active
    subscription.changed_by = actor
    subscription.changed_at = timezone.now()
    subscription._history_user = actor
    subscription.save()
    if active:
        transaction.on_commit(
            lambda: rescreen_enqueue(
                organisation=organisation,
                user=actor,
                reason=f"{screening_list.code} v{screening_list.current_version.number}",
                version_id=screening_list.current_version_id,
            )
        )
    return subscription


def subscribers_rescreen(*, version_id: int) -> list:
    """A list a chamber keeps has a new version: re-screen the parties of every member that
    screens against it (trade re-screens the keeping chamber itself, screening's signal)."""
    version = ListVersion.objects.select_related("screening_list").get(pk=version_id)
    screening_list = version.screening_list
    if screening_list.organisation_id is None:
        return []
    covered = Job.objects.filter(kind=RESCREEN_KIND, created_at__gte=version.created_at).values(
        "organisation"
    )
    members = Organisation.objects.filter(
        pk__in=subscribed_members(screening_list=screening_list), is_active=True
    ).exclude(pk__in=covered)
    return [
        rescreen_enqueue(
            organisation=member,
            user=version.created_by,
            reason=f"{screening_list.code} v{version.number}",
            version_id=version.pk,
        )
        for member in members.order_by("pk")
    ]


# --- what a member adopts into its own programme ------------------------------------------------


def _adoptable(organisation, publication) -> None:
    """The publication is published, of a kind a member adopts, by a chamber the organisation
    belongs to now, and not adopted before."""
    if not publication.is_published or publication.kind not in ADOPTABLE_KINDS:
        raise ValidationError(_("This publication cannot be adopted."))
    if not ChamberMembership.objects.filter(
        organisation_id=publication.organisation_id,
        member=organisation,
        status=ChamberMembershipStatus.ACTIVE,
    ).exists():
        raise ValidationError(_("Only members of the chamber adopt what it publishes."))
    if Adoption.objects.filter(organisation=organisation, publication=publication).exists():
        raise ValidationError(_("Your organisation has already adopted this."))


def _list_source(publication) -> str:
    version = publication.list_version
    return _("%(chamber)s, %(list)s version %(number)d") % {
        "chamber": publication.organisation,
        "list": version.get_kind_display(),
        "number": version.number,
    }


def adoption_preview(*, organisation, actor, publication):
    """What adopting a chamber's list version would change in the member's own list (nothing
    written); None for the other kinds."""
    if publication.kind not in LIST_KINDS:
        return None
    return trade_lists.reference_list_adopt_preview(
        organisation=organisation,
        user=actor,
        kind=LIST_KINDS[publication.kind],
        rows=publication.content.get("rows", []),
    )


@transaction.atomic
def publication_adopt(*, organisation, actor, publication) -> Adoption:
    """The member's compliance manager takes a chamber's publication into the member's own
    programme: a list version becomes a new version of the member's own list (its
    classification uses it from now on), a course one of its courses, recommended settings its
    manual settings. The member's copy is its own: it can change it as it changes anything of
    its own (a new import, the course's page, the manual settings), never the chamber's
    publication, and it stays when the member leaves the chamber. The adoption is in the
    member's event log (the history of the Adoption row), and so is what it made."""
    require_role(
        roles=roles.PROGRAMME_EDITORS,
        organisation=organisation,
        user=actor,
        message=_("Only the compliance manager adopts what a chamber publishes."),
    )
    publication = Publication.objects.select_related("organisation", "list_version").get(
        pk=publication.pk
    )
    _adoptable(organisation, publication)
    if publication.kind in LIST_KINDS:
        outcome = trade_lists.reference_list_adopt(
            organisation=organisation,
            user=actor,
            kind=LIST_KINDS[publication.kind],
            rows=publication.content.get("rows", []),
            edition=publication.content.get("edition", ""),
            source=_list_source(publication),
        )
        # An adoption always has a version: a new one, or the member's latest when its list
        # already holds exactly these entries.
        assert outcome.version is not None
        record_type, object_id = "trade.controllistversion", outcome.version.pk
    elif publication.kind == PublicationKind.TRAINING_COURSE:
        course = shared_course_adopt(
            organisation=organisation, user=actor, code=shared_content.course_code(publication)
        )
        record_type, object_id = "icp.course", course.pk
    else:
        settings = manual_settings_apply(
            organisation=organisation,
            user=actor,
            source=str(publication.organisation),
            **shared_content.manual_settings_values(publication.content),
        )
        record_type, object_id = "icp.manualsettings", settings.pk
    adoption = Adoption(
        organisation=organisation,
        publication=publication,
        adopted_by=actor,
        adopted_at=timezone.now(),
        record_type=record_type,
        object_id=str(object_id),
    )
    adoption._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    adoption.save()
    return adoption
