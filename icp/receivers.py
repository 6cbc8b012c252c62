"""What the programme does when a lower app publishes an event; connected in apps.py."""

from django.utils.translation import gettext as _

from .models import Duty, SodRule
from .models.emergency import Scenario
from .services.emergency import incident_report
from .services.organisation import sod_check, sod_conflicts_for_user


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


def segregation_of_duties_reasons(*, organisation, user, duty_codes: set[str]) -> list[str]:
    """Why the segregation of duties (E2) bars `user` from approving a transaction on which they
    hold `duty_codes` (registered with trade.hooks): a rule on those duties, or positions that
    may not be held together, or a duty rule on compliance review."""
    reasons = [
        _("Segregation of duties: %(rule)s") % {"rule": violation.message}
        for violation in sod_check(organisation=organisation, user=user, duty_codes=duty_codes)
    ]
    for violation in sod_conflicts_for_user(organisation=organisation, user=user):
        if (
            violation.rule.kind == SodRule.Kind.POSITIONS
            or Duty.COMPLIANCE_REVIEW in violation.duties
        ):
            reasons.append(_("Incompatible positions: %(rule)s") % {"rule": violation.message})
    return reasons
