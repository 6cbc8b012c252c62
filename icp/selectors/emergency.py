"""Reads of E5 incidents for the anonymous reporter's follow-up page."""

from icp.models import Incident, IncidentEvent
from icp.services.emergency import receipt_hash


def incident_by_receipt(*, code: str) -> Incident | None:
    """The report whose receipt code is `code`, or None (an empty code finds nothing)."""
    if not code or not code.strip():
        return None
    return Incident.objects.filter(receipt_hash=receipt_hash(code)).first()


def replies_to_reporter(*, incident: Incident):
    """What the compliance team wrote to the reporter, oldest first."""
    return incident.events.filter(kind=IncidentEvent.Kind.REPLY).order_by("at", "pk")
