"""Small helpers for reading request input safely: a bad parameter is the client's error (4xx),
never a 500."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _


def int_param(
    params,
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """The integer parameter `name` of a QueryDict (request.GET or request.POST).

    Missing or empty gives `default`. A value that is not a whole number, or lies outside
    [minimum, maximum], raises BadRequest, which Django answers with the app's 400 page."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(
            _("The parameter %(name)s must be a whole number.") % {"name": name}
        ) from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise BadRequest(
            _("The parameter %(name)s must lie between %(minimum)s and %(maximum)s.")
            % {
                "name": name,
                "minimum": minimum if minimum is not None else "…",
                "maximum": maximum if maximum is not None else "…",
            }
        )
    return value
