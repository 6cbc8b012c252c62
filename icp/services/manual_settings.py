"""E9: the organisation's manual settings (language, edition, the foreign-law risk annex), which
the manual request form starts from. A compliance manager saves them, or applies settings
recommended to the organisation (a chamber's, through the chamber's adoption); each change is in
the history and so in the event log, and is undone by saving other settings."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import require_role
from icp.models import ManualEdition, ManualLanguage, ManualSettings


def manual_settings_of(organisation) -> ManualSettings | None:
    """The organisation's saved manual settings, None before any were saved."""
    return ManualSettings.objects.for_organisation(organisation).first()


@transaction.atomic
def manual_settings_apply(
    *, organisation, user, language: str, edition: str, foreign_law_annex: bool, source: str = ""
) -> ManualSettings:
    """Save the organisation's manual settings; `source` names who recommended them (empty when
    the compliance manager chose them)."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=user)
    errors = {}
    if language not in ManualLanguage.values:
        errors["language"] = _("Unknown manual language.")
    if edition not in ManualEdition.values:
        errors["edition"] = _("Choose the full or the concise edition.")
    if errors:
        raise ValidationError(errors)
    settings = ManualSettings.objects.for_organisation(
        organisation
    ).select_for_update().first() or ManualSettings(organisation=organisation)
    values = {
        "language": language,
        "edition": edition,
        "foreign_law_annex": bool(foreign_law_annex),
        "source": (source or "")[:300],
    }
    if settings.pk and all(getattr(settings, k) == v for k, v in values.items()):
        return settings
    for name, value in values.items():
        setattr(settings, name, value)
    settings._history_user = user  # type: ignore[union-attr]  # read by simple_history
    settings.save()
    return settings
