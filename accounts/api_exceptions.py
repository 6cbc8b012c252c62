"""How the API reports errors: DRF's handler, with a clear 429 for a throttled token."""

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    """DRF's handler, with a clear, translated 429 (DRF already sets Retry-After)."""
    response = exception_handler(exc, context)
    if isinstance(exc, exceptions.Throttled) and response is not None:
        seconds = max(1, math.ceil(exc.wait or 1))
        response.data = {
            "detail": _("Too many requests for this API token.")
            + " "
            + ngettext(
                "Try again in %(seconds)d second.",
                "Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
            "retry_after": seconds,
        }
        response["Retry-After"] = str(seconds)
    return response
