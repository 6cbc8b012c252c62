"""What the party register does when the screening records publish an event; connected in
apps.py. See screening/signals.py."""

from .jobs import rescreen_enqueue_for_version
from .services.parties import party_status_refresh


def rescreen_after_new_version(sender, *, version_id: int, **kwargs) -> None:
    """A list version became current: re-screen the parties of every organisation that sees it."""
    rescreen_enqueue_for_version(version_id=version_id)


def party_badge_after_decision(sender, *, hit, adjudication, **kwargs) -> None:
    """A hit was decided: the party it belongs to shows the new badge, when the hit is from the
    party's latest screening (an older screening's decision does not change the badge)."""
    party = hit.screening.party
    if party is not None and party.last_screening_id == hit.screening_id:
        party_status_refresh(party=party)
