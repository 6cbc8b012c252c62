"""Project-wide middleware that belongs to no domain app."""

from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """Tell browsers and proxies never to keep a copy of a page meant for one signed-in person.

    A shared computer's back button, a corporate proxy or a disk cache must not hand an export
    licence or a screening result to the next person. Every response to a signed-in user, or to a
    request carrying credentials (the API's token header), is marked `private, no-store`;
    anonymous pages (login, health check) keep their defaults. Static files are served before
    this runs (WhiteNoise) and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
        return response
