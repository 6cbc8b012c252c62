"""Events the trade app publishes for the apps above it (see the import-linter contract in
pyproject.toml); they subscribe in their `AppConfig.ready()`."""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# An export voucher's condition no longer holds (REGS Art. 19(3)); keyword arguments: licence,
# membership (the compliance manager's), reason. Sent inside the suspension's transaction. The
# emergency element (icp/receivers.py) opens the incident for the report to MOFCOM and returns
# it: a record with a `reference` (the source of the holds) and the `transactions` it concerns.
licence_condition_lapsed = Signal()


def licence_condition_lapsed_publish(*, licence, membership, reason: str):
    """Send `licence_condition_lapsed` and return the incident a subscriber opened. The law asks
    for a report, so an installation where nobody opens one fails instead of going quiet."""
    opened = [
        incident
        for _receiver, incident in licence_condition_lapsed.send(
            sender=type(licence), licence=licence, membership=membership, reason=reason
        )
        if incident is not None
    ]
    if not opened:
        raise ImproperlyConfigured("No app subscribes to trade.signals.licence_condition_lapsed.")
    return opened[0]
