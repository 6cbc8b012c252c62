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


def stored_file_response(request, stored, *, filename: str, content_type: str | None = None):
    """A download of a stored file (a FieldFile). A file missing from storage (lost volume, a
    partial restore) answers 404 with a message the reader understands, never a 500."""
    from django.http import FileResponse

    from core.middleware import error_response

    try:
        handle = stored.open("rb")
    except (OSError, ValueError):  # FileNotFoundError, a storage error, or no file at all
        return error_response(
            request,
            status=404,
            message=_(
                "The file %(name)s is missing from storage. Ask your administrator to restore "
                "it from the backup."
            )
            % {"name": filename},
        )
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
