"""What the records pages share."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def error_message(request, error: ValidationError) -> None:
    """A service's refusal as a message, for a page that has no form to show it on."""
    messages.error(request, " ".join(error.messages))
