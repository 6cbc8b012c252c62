"""Publications: writing and publishing them, and delivering them to the current members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import roles
from accounts.models import Organisation
from accounts.permissions import require_role
from core.jobs import job_enqueue
from records.services.reminders import reminders_notify
from trade.models import ControlListVersion
from trade.models.control_list import ReferenceListKind
from trade.services import control_list as trade_lists

from .. import content as shared_content
from ..models import (
    ChamberMembershipStatus,
    Publication,
    PublicationKind,
    PublicationStatus,
)
from .common import _require_chamber

DELIVERY_JOB = "chambers.publication_deliver"

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
