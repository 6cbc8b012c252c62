"""What a member adopts from a publication into its own programme: the preview and the adoption."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import require_role
from icp.services.manual_settings import manual_settings_apply
from icp.services.training_library import shared_course_adopt
from trade.services import control_list as trade_lists

from .. import content as shared_content
from ..models import (
    ADOPTABLE_KINDS,
    Adoption,
    ChamberMembership,
    ChamberMembershipStatus,
    Publication,
    PublicationKind,
)
from .publications import LIST_KINDS


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
