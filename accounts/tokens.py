"""API tokens for ERP integration: each belongs to one user in one organisation.

Only a SHA-256 of the token is stored; the token itself is shown once when it is created.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .signals import event_log_publish

TOKEN_PREFIX = "icp_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example: ERP production"))
    key_prefix = models.CharField(_("starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def api_token_create(*, organisation, user, name: str, created_by=None) -> tuple[ApiToken, str]:
    """A new token for `user` in `organisation`. Returns the row and the token itself, which is
    shown once and never stored."""
    from django.core.exceptions import ValidationError

    from .models import Membership

    if not Membership.objects.active().filter(user=user, organisation=organisation).exists():
        raise ValidationError(_("The user is not an active member of this organisation."))
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": _("Give the token a name, such as the system that uses it.")}
        )
    from django.db import transaction

    raw = token_generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            user=user,
            name=name[:100],
            key_prefix=raw[:10],
            key_hash=token_hash(raw),
            created_by=created_by,
        )
        event_log_publish(
            organisation=organisation,
            actor=created_by,
            action="create",
            target=token,
            details={"acts_as": user.email, "starts_with": token.key_prefix},
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, user) -> ApiToken:
    """Revoke a token at once. Idempotent: revoking a revoked token changes nothing."""
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=user
        )
        token.refresh_from_db()
        if revoked:
            event_log_publish(
                organisation=token.organisation,
                actor=user,
                action="change",
                target=token,
                details={"fields": ["revoked_at", "revoked_by"], "revoked": True},
            )
    return token
