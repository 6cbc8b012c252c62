"""Events the screening app publishes (see the import-linter contract in pyproject.toml). The
party register in this app subscribes to the first two in `AppConfig.ready()`
(screening/receivers.py); trade subscribes to the third in its own."""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# A list version became current and has committed (keyword argument: version_id). The party
# register re-screens the parties of every organisation that sees the list.
list_version_current = Signal()

# A compliance manager decided a hit (keyword arguments: hit, adjudication). Sent inside the
# decision's transaction; the party register refreshes the screening badge of the hit's party.
hit_decided = Signal()

# A batch re-screening of an organisation's parties finished (keyword argument: organisation).
# Trade re-checks the approved transactions not yet shipped: one with a new undecided hit goes
# back to review (E4).
parties_rescreened = Signal()


def parties_rescreened_publish(*, organisation) -> None:
    """Send `parties_rescreened`. An approved transaction must not ship past a new hit, so an
    installation where nobody re-checks the transactions fails instead of going quiet."""
    if not parties_rescreened.send(sender=organisation.__class__, organisation=organisation):
        raise ImproperlyConfigured("No app subscribes to screening.signals.parties_rescreened.")
