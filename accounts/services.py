import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from . import roles as role_sets
from .middleware import SESSION_KEY
from .models import Membership, Organisation
from .permissions import require_member_role


def organisation_switch(*, request, organisation_id: int) -> Membership:
    """Make another of the user's organisations the current one (checked against membership)."""
    membership = (
        Membership.objects.active()
        .filter(user=request.user, organisation_id=organisation_id)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise ValidationError(_("You are not a member of that organisation."))
    request.session[SESSION_KEY] = membership.organisation_id
    return membership


# --- the organisation's profile ---------------------------------------------------------------

PROFILE_FIELDS = ("name_zh", "name_en", "unified_social_credit_code", "address_zh", "address_en")
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def _checked_logo(upload) -> tuple[bytes, str]:
    """The logo's bytes and extension, after checking that it really is a PNG or JPEG image of
    a sensible size (the bytes are read, whatever the file's name says)."""
    content = upload.read(LOGO_MAX_BYTES + 1)
    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError({"logo": _("The logo is larger than 2 MB.")}, code="size")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format, (width, height) = image.format, image.size
            if image_format in LOGO_FORMATS and max(width, height) <= LOGO_MAX_SIDE:
                # A truncated or corrupt file fails here (WeasyPrint makes Pillow lenient with
                # truncated images when loading them, not when verifying them).
                image.verify()
                with Image.open(io.BytesIO(content)) as decoded:
                    decoded.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    if image_format not in LOGO_FORMATS:
        raise ValidationError({"logo": _("This file is not a PNG or JPEG image.")}, code="format")
    if max(width, height) > LOGO_MAX_SIDE:
        raise ValidationError(
            {"logo": _("The logo is larger than 4000 pixels on a side.")}, code="dimensions"
        )
    return content, LOGO_FORMATS[image_format]


def organisation_profile_update(
    *, organisation: Organisation, user, fields: dict, logo=None, remove_logo: bool = False
) -> Organisation:
    """Change the organisation's name, code, address and logo (compliance managers only).

    The manual's cover and header show them, so a change marks the latest manual out of date.
    A replaced or removed logo file is deleted once the change is saved.
    """
    require_member_role(
        organisation=organisation,
        user=user,
        roles=role_sets.PROGRAMME_EDITORS,
        action="compliance managers only",
    )
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["logo"])
    new_logo = _checked_logo(logo) if logo is not None else None
    old_logo = organisation.logo.name
    if new_logo is not None:
        content, extension = new_logo
        organisation.logo.save(f"logo.{extension}", ContentFile(content), save=False)
    elif remove_logo:
        organisation.logo = ""
    try:
        with transaction.atomic():
            organisation.save()
    except Exception:
        if new_logo is not None:
            organisation.logo.delete(save=False)
        raise
    if old_logo and old_logo != organisation.logo.name:
        default_storage.delete(old_logo)
    return organisation
