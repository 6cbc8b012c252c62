"""Project-wide middleware: request guards (bad input gets a clear 4xx instead of reaching a view)
and private pages that no cache keeps."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core.uploads import max_upload_bytes, upload_too_large

logger = logging.getLogger("django.security")

# Characters no field of this application accepts: NUL breaks PostgreSQL text and some drivers
# silently truncate at it.
FORBIDDEN_CHARACTERS = ("\x00",)


def _bad(value: str) -> bool:
    return any(c in value for c in FORBIDDEN_CHARACTERS)


def error_response(request, *, status: int, message: str, back: str = ""):
    """The app's own error page (its layout, the reader's language), or JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    back = back or ("/" if _bad(request.path) else request.path)
    return render(
        request, "400.html", {"message": message, "status": status, "back": back}, status=status
    )


class RequestGuardMiddleware:
    """Refuses a request whose path or parameters (GET, POST, a JSON body) hold a NUL byte,
    and an upload refused by core.uploads.MaxSizeUploadHandler for its size.
    Sits after authentication so the error page has the usual layout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def check(self, request):
        invalid = _("The request contains characters that are not allowed (a NUL byte).")
        if _bad(request.path) or _bad(request.META.get("QUERY_STRING", "")):
            return self._refuse(request, invalid)
        for key, values in request.GET.lists():
            if _bad(key) or any(_bad(v) for v in values):
                return self._refuse(request, invalid)
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.content_type or ""
            try:
                if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
                    post = request.POST
                    if upload_too_large(request):
                        return self._too_large(request)
                    for key, values in post.lists():
                        if _bad(key) or any(_bad(v) for v in values):
                            return self._refuse(request, invalid)
                elif content_type == "application/json" and b"\\u0000" in request.body:
                    return self._refuse(request, invalid)
            except RequestDataTooBig:
                return self._too_large(request)
            except SuspiciousOperation as exc:
                logger.warning("Bad request to %s: %s", request.path, exc)
                return error_response(request, status=400, message=str(exc))
        return None

    def _refuse(self, request, message):
        logger.warning("Refused a NUL byte in a request to %s", request.path)
        return error_response(request, status=400, message=message)

    def _too_large(self, request):
        return error_response(
            request,
            status=413,
            message=_(
                "The upload is larger than %(limit)d MB, the most this installation accepts. "
                "Split the file and upload the parts one by one."
            )
            % {"limit": max_upload_bytes() >> 20},
        )


def bad_request(request, exception=None):
    """handler400: the app's 400 page. A BadRequest raised by our own code (core.http) carries a
    message meant for the reader; other suspicious requests get the general one."""
    from django.core.exceptions import BadRequest

    message = (
        str(exception)
        if isinstance(exception, BadRequest) and str(exception)
        else _("The request could not be understood. Check the address and try again.")
    )
    return error_response(request, status=400, message=message)


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
