import datetime
import io
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image

from . import roles as role_sets
from .eventlog import log_history_event
from .middleware import SESSION_KEY
from .models import Invitation, Membership, Organisation, PasswordResetRequest, User
from .permissions import require_role
from .roles import Role
from .signals import mail_publish


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
    require_role(
        organisation=organisation,
        user=user,
        roles=role_sets.PROGRAMME_EDITORS,
        message="compliance managers only",
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
            _save_logged(organisation, user)
    except Exception:
        if new_logo is not None:
            organisation.logo.delete(save=False)
        raise
    if old_logo and old_logo != organisation.logo.name:
        default_storage.delete(old_logo)
    return organisation


# --- members and invitations ------------------------------------------------------------------

INVITATION_SALT = "accounts.invitation"


def _save_logged(instance, user) -> None:
    """Save a regulated accounts record and put the change in the event log (same transaction).
    The history row names the person who made the change, also outside a request (commands,
    tasks) and when the request's user is someone else (an invitee accepting)."""
    instance._history_user = user
    with transaction.atomic():
        instance.save()
        log_history_event(instance, actor=user)


def _lock_managers(organisation: Organisation) -> list[Membership]:
    """The organisation's active compliance managers, locked until the transaction ends, so two
    managers demoting each other at once cannot leave the organisation without one."""
    return list(
        Membership.objects.active()
        .select_for_update()
        .filter(organisation=organisation, role=Role.COMPLIANCE_MANAGER)
    )


def _keep_a_manager(membership: Membership) -> None:
    managers = _lock_managers(membership.organisation)
    if not any(m.pk != membership.pk for m in managers):
        raise ValidationError(
            _(
                "%(name)s is the only active compliance manager of the organisation. Make "
                "another member compliance manager first."
            )
            % {"name": membership.user},
            code="last_manager",
        )


def _require_manager(*, organisation, user):
    return require_role(
        organisation=organisation,
        user=user,
        roles=role_sets.PROGRAMME_EDITORS,
        message="compliance managers only",
    )


def membership_change(
    *, membership: Membership, user, role: str, job_title: str | None = None
) -> Membership:
    """Change a member's role (and job title). The last compliance manager keeps the role."""
    _require_manager(organisation=membership.organisation, user=user)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")}, code="role")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            membership.role == Role.COMPLIANCE_MANAGER
            and role != Role.COMPLIANCE_MANAGER
            and membership.is_active
        ):
            _keep_a_manager(membership)
        changed = membership.role != role
        membership.role = role
        if job_title is not None and job_title.strip() != membership.job_title:
            membership.job_title = job_title.strip()
            changed = True
        if changed:
            _save_logged(membership, user)
    return membership


def membership_deactivate(*, membership: Membership, user) -> Membership:
    """Take away a member's access to the organisation at once (their open sessions included).
    The membership and everything they wrote stay; a later reactivation restores it."""
    _require_manager(organisation=membership.organisation, user=user)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if not membership.is_active:
            return membership
        if membership.role == Role.COMPLIANCE_MANAGER:
            _keep_a_manager(membership)
        membership.is_active = False
        _save_logged(membership, user)
    return membership


def membership_reactivate(*, membership: Membership, user) -> Membership:
    _require_manager(organisation=membership.organisation, user=user)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.is_active:
            return membership
        membership.is_active = True
        _save_logged(membership, user)
    return membership


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation a link names, or None when the link is forged, expired, replaced
    by a newer invitation, cancelled or already used."""
    max_age = datetime.timedelta(days=settings.ICP_INVITATION_DAYS)
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict):
        return None
    invitation = (
        Invitation.objects.pending()
        .select_related("organisation", "invited_by")
        .filter(pk=data.get("i"), nonce=data.get("n") or "-")
        .first()
    )
    if invitation is None or not invitation.organisation.is_active:
        return None
    return invitation


def _invitation_send(*, invitation: Invitation, accept_url: str) -> None:
    """The invitation e-mail, in Chinese and then English (the invitee's language is unknown)."""
    subjects, bodies = [], []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            context = {
                "accept_url": accept_url,
                "organisation": invitation.organisation.name,
                "role": Role(invitation.role).label,
                "inviter": invitation.invited_by,
                "days": settings.ICP_INVITATION_DAYS,
            }
            subjects.append(
                " ".join(
                    render_to_string("accounts/emails/invitation_subject.txt", context).split()
                )
            )
            bodies.append(render_to_string("accounts/emails/invitation.txt", context).strip())
    # Sent through Celery after the commit: a slow or refusing mail server never holds up or
    # fails the request (core.mail); the task retries it.
    mail_publish(
        subject=" / ".join(subjects),
        body="\n\n----\n\n".join(bodies) + "\n",
        recipients=[invitation.email],
    )


def invitation_create(
    *, organisation: Organisation, user, email: str, role: str, job_title: str = "", link_for
) -> Invitation:
    """Invite someone by e-mail to join the organisation with a role, and send the link.

    `link_for(token)` turns the token into the absolute link (views build it from the request,
    so the link points at the address the manager is using). Inviting an address that already
    has a pending invitation replaces that one (new link, new expiry; the old link stops
    working).
    """
    _require_manager(organisation=organisation, user=user)
    email = (email or "").strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")}, code="role")
    existing = (
        Membership.objects.filter(organisation=organisation, user__email=email)
        .select_related("user")
        .first()
    )
    if existing is not None and existing.is_active:
        raise ValidationError(
            {"email": _("%(email)s is already a member of this organisation.") % {"email": email}},
            code="member",
        )
    if existing is not None:
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is a deactivated member of this organisation: reactivate them on "
                    "the members page instead."
                )
                % {"email": email}
            },
            code="deactivated",
        )
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.pending().filter(organisation=organisation, email=email)
        invitation = invitation.select_for_update().first() or Invitation(
            organisation=organisation, email=email
        )
        invitation.role = role
        invitation.job_title = (job_title or "").strip()
        invitation.nonce = secrets.token_hex(16)
        invitation.invited_by = user
        invitation.created_at = now
        invitation.expires_at = now + datetime.timedelta(days=settings.ICP_INVITATION_DAYS)
        _save_logged(invitation, user)
        _invitation_send(invitation=invitation, accept_url=link_for(invitation_token(invitation)))
    return invitation


def invitation_cancel(*, invitation: Invitation, user) -> Invitation:
    _require_manager(organisation=invitation.organisation, user=user)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise ValidationError(
                _("This invitation was already accepted, cancelled or has expired."),
                code="not_pending",
            )
        invitation.cancelled_at = timezone.now()
        _save_logged(invitation, user)
    return invitation


def invitation_accept(
    *, invitation: Invitation, full_name: str = "", password: str | None = None
) -> Membership:
    """Accept an invitation: a new person gets an account with the name and password they chose
    (checked by the password validators); someone who already has an account just joins. The
    membership is created, or a deactivated one reactivated, with the invited role."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise ValidationError(
                _("This invitation was already accepted, cancelled or has expired."),
                code="not_pending",
            )
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            if not (full_name or "").strip():
                raise ValidationError({"full_name": _("Enter your name.")}, code="name")
            user = User(email=invitation.email, full_name=full_name.strip())
            password_validation.validate_password(password or "", user)
            user.set_password(password)
            user.save()
        elif not user.is_active:
            raise ValidationError(
                _("This account is disabled. Ask your administrator."), code="inactive"
            )
        membership = Membership.objects.filter(
            user=user, organisation=invitation.organisation
        ).first() or Membership(user=user, organisation=invitation.organisation)
        membership.role = invitation.role
        membership.job_title = invitation.job_title or membership.job_title
        membership.is_active = True
        _save_logged(membership, user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        _save_logged(invitation, user)
    return membership


# --- password reset rate limit ----------------------------------------------------------------

PASSWORD_RESET_WINDOW = datetime.timedelta(hours=1)


def password_reset_request_record(*, email: str, ip_address: str | None) -> None:
    """Count a request for a password-reset e-mail; ValidationError when the address asked for,
    or the client address asking, has reached its hourly limit. Every request counts, for an
    unknown address too, so the limit reveals nothing about which addresses have accounts."""
    email = (email or "").strip().lower()
    now = timezone.now()
    since = now - PASSWORD_RESET_WINDOW
    PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    if recent.filter(email=email).count() >= settings.ICP_PASSWORD_RESET_PER_ADDRESS:
        raise ValidationError(
            _(
                "A password-reset link was already sent to this address several times in the "
                "last hour. Check your mailbox (and its spam folder), or try again in an hour."
            ),
            code="rate_address",
        )
    if ip_address and (
        recent.filter(ip_address=ip_address).count() >= settings.ICP_PASSWORD_RESET_PER_IP
    ):
        raise ValidationError(
            _(
                "Too many password-reset requests came from your network in the last hour. "
                "Try again in an hour."
            ),
            code="rate_ip",
        )
    PasswordResetRequest.objects.create(email=email, ip_address=ip_address, requested_at=now)
