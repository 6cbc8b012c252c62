"""Registrations: on the programme's overview (core/panels.py), a chamber's next events for its
readers, and a member's next events of its chambers. Nothing imports this app."""

from django.utils import timezone

from accounts import roles
from chambers.services import chamber_of
from core.panels import Panel, overview_panel

from .selectors import event_list, events_for_member

EVENTS_ON_OVERVIEW = 3


@overview_panel(order=45)
def outreach_overview_panel(request):
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    if organisation is None or membership is None:
        return None
    now = timezone.now()
    if chamber_of(organisation) is not None:
        if membership.role not in roles.PROGRAMME_READERS:
            return None
        events = event_list(organisation=organisation).filter(starts_at__gte=now)
        return Panel(
            "outreach/_overview_panel.html",
            {"is_chamber": True, "events": list(events.order_by("starts_at")[:EVENTS_ON_OVERVIEW])},
        )
    events = events_for_member(organisation=organisation).filter(starts_at__gte=now)
    upcoming = list(events[:EVENTS_ON_OVERVIEW])
    if not upcoming:
        return None
    return Panel("outreach/_overview_panel.html", {"is_chamber": False, "events": upcoming})
