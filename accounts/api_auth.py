"""Token authentication for the API. A token acts as its user in its one organisation: the
request's organisation and membership come from the token, never from a session or input."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import Membership
from .tokens import ApiToken, token_hash

# Updating last_used_at on every call would make each call a write; once a minute is enough.
LAST_USED_RESOLUTION_SECONDS = 60


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("Token", "Bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        token = (
            ApiToken.objects.active()
            .select_related("user", "organisation")
            .filter(key_hash=token_hash(raw))
            .first()
        )
        if token is None or not token.user.is_active or not token.organisation.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        membership = (
            Membership.objects.active()
            .filter(user=token.user, organisation=token.organisation)
            .select_related("organisation")
            .first()
        )
        if membership is None:
            raise exceptions.AuthenticationFailed(
                _("The token's user is no longer a member of its organisation.")
            )
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The underlying Django request carries the scope, as for a browser session.
        django_request = request._request
        django_request.organisation = token.organisation
        django_request.membership = membership
        django_request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _(
                    'Send "Authorization: Token <token>". Compliance managers create tokens '
                    "on the API tokens page."
                )
            ),
        }
