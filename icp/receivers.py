"""What the programme does when a lower app publishes an event; connected in apps.py."""

from django.utils.translation import gettext as _

from .models.emergency import Scenario
from .services.emergency import incident_report


def incident_for_lapsed_voucher(sender, *, licence, membership, reason: str, **kwargs):
    """An export voucher's condition no longer holds (trade.signals.licence_condition_lapsed):
    open the incident for the report to MOFCOM and hand it back to trade, which holds the
    voucher's transactions with the incident as their source."""
    return incident_report(
        membership=membership,
        title=_("Export voucher %(number)s: a condition no longer holds") % {"number": licence},
        # The scenario carries the provision (REGS Art. 19(3)), shown in the reader's language.
        description=_("%(reason)s\n\nStop the export at once and report to MOFCOM.")
        % {"reason": reason},
        scenario=Scenario.VOUCHER_NOT_APPLICABLE,
    )
