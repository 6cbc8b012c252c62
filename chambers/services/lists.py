"""Screening lists the chamber keeps for its members: list updates, their status, subscriptions
and re-screening the subscribers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Organisation
from accounts.permissions import require_role
from core.jobs import job_enqueue
from core.models import Job
from screening.jobs import RESCREEN_KIND, rescreen_enqueue
from screening.models import ListVersion

from ..models import (
    AnnouncementStatus,
    ChamberMembership,
    ChamberMembershipStatus,
    ListSubscription,
    ListUpdate,
)
from ..selectors import subscribed_members
from .common import _require_chamber

LIST_UPDATE_DELIVERY_JOB = "chambers.list_update_deliver"


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
