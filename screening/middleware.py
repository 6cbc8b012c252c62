"""A list was just updated and its search index is still being built: whatever view tried to
screen (a party's "screen now", a transaction's parties, an import) answers with a clear 503 and
the way back, never a server error. The index job is already queued by the screening service."""

from django.utils.http import url_has_allowed_host_and_scheme

from core.middleware import error_response
from screening.services.index import ScreeningNotReady

RETRY_AFTER_SECONDS = 60


class ScreeningNotReadyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ScreeningNotReady):
            return None
        referer = request.META.get("HTTP_REFERER", "")
        back = (
            referer
            if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
            else ""
        )
        if not back and request.method == "GET":
            back = request.get_full_path()
        response = error_response(
            request, status=503, message=exception.messages[0], back=back or "/"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
