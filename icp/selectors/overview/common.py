"""What every element's status is made of: the states, the targets, and the programme owner."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import Membership
from accounts.roles import Role

OK, ATTENTION, MISSING = "ok", "attention", "missing"
ACKNOWLEDGEMENT_TARGET = 90  # percent of active members
TRAINING_TARGET = 90  # percent of members current on every course aimed at them
RISK_ASSESSMENT_VALIDITY = datetime.timedelta(days=365)


@dataclass
class ElementStatus:
    code: str
    state: str
    headline: str | Promise  # a translated sentence, lazy when it has no figures
    url: str
    facts: list[str | Promise] = field(default_factory=list)
    owner: str = ""
    next_due: datetime.date | None = None
    # Figures read for the status that other parts of the overview page show too ("for you"),
    # so that they are not counted twice. Not displayed as such.
    known: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due < timezone.localdate()


def _programme_owner(organisation) -> str:
    """The compliance manager who keeps the programme (the first, when there are several)."""
    membership = (
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.COMPLIANCE_MANAGER)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    return str(membership.user) if membership else ""


# REGS Art. 16(2) asks for "relatively stable" channels and end users without a figure; the
# company's rule: at least half of the shipments of the last two years went to end users it
# supplied more than once.
STABLE_WINDOW_DAYS = 730
STABLE_SHARE = 0.5
