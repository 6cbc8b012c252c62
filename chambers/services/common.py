"""The chamber an organisation is, registering one, and the checks and the member's log every
chamber rule shares."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from records.services.eventlog import event_log_append

from ..models import (
    Chamber,
    ChamberMembership,
)


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
