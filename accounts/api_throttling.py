"""API rate limits: each API token has its own budget (a token is one ERP integration), so one
busy integration cannot starve the others. Calls without a token (the schema pages, which a
signed-in person opens) are counted per user, anonymous ones per address. Over the limit the API
answers 429 with a message in the caller's language and a Retry-After header
(accounts/api_exceptions.py). DRF's APIView reads this class while it is defined, so this module
must not import rest_framework.views."""

from rest_framework.throttling import SimpleRateThrottle

from .tokens import ApiToken


class ApiTokenRateThrottle(SimpleRateThrottle):
    """`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_token"]` requests per token."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            # The key's hash, not the row id: an id can come back after a token is deleted.
            ident = f"token-{request.auth.key_hash[:32]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
