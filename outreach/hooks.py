"""Registrations: on the programme's overview (core/panels.py), a chamber's next events for its
readers, and a member's next events of its chambers; in a member's notification centre
(records/services/reminders.py), an event its people registered for that was cancelled or moved.
Nothing imports this app."""

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from chambers.services import chamber_of
from core.i18n import localised
from core.panels import Panel, overview_panel
from records.services.reminders import ReminderItem, reminder_source

from .selectors import event_list, events_for_member, registrations_changed_for_member

EVENTS_ON_OVERVIEW = 3
# A change older than this is not news any more.
NOTIFY_WINDOW = datetime.timedelta(days=60)


class _Title:
    """The event's title in the reader's language, when the reminder is rendered."""

    def __init__(self, event):
        self.event = event

    def __str__(self):
        return localised(self.event, "title")


class _When:
    """The start in Beijing time, formatted for the reader's language."""

    def __init__(self, value):
        self.value = value

    def __str__(self):
        return formats.date_format(timezone.localtime(self.value), "DATETIME_FORMAT")


class _Place:
    def __init__(self, event):
        self.event = event

    def __str__(self):
        return self.event.place or self.event.online_link


@reminder_source("outreach_event", _("Changes to events you registered for"))
def outreach_event_reminders(organisation, today):
    """One notification per person registered and change: the cancellation, or each new time
    or place (the key names the moment of the change)."""
    since = timezone.now() - NOTIFY_WINDOW
    by_event: dict[int, list] = {}
    for registration in registrations_changed_for_member(organisation=organisation, since=since):
        event = registration.event
        if not event.is_cancelled and registration.registered_at >= event.rescheduled_at:
            continue  # registered after the change: they saw the new time and place
        by_event.setdefault(registration.event_id, []).append(registration)
    for registrations in by_event.values():
        event = registrations[0].event
        users = frozenset(registration.user_id for registration in registrations)
        url = reverse("outreach:member_event_detail", args=[event.pk])
        if event.is_cancelled:
            yield ReminderItem(
                kind="outreach_event",
                key=f"outreach_event:{event.pk}:cancelled",
                message=_("%(chamber)s cancelled %(event)s (%(when)s): %(reason)s"),
                params={
                    "chamber": event.organisation,
                    "event": _Title(event),
                    "when": _When(event.starts_at),
                    "reason": event.cancellation_reason,
                },
                url=url,
                user_ids=users,
            )
        elif event.rescheduled_at is not None:
            yield ReminderItem(
                kind="outreach_event",
                key=f"outreach_event:{event.pk}:moved:{event.rescheduled_at:%Y%m%d%H%M%S%f}",
                message=_("%(chamber)s changed %(event)s: now %(when)s (Beijing time), %(place)s"),
                params={
                    "chamber": event.organisation,
                    "event": _Title(event),
                    "when": _When(event.starts_at),
                    "place": _Place(event),
                },
                url=url,
                due_on=timezone.localtime(event.starts_at).date(),
                user_ids=users,
            )


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
        events = event_list(organisation=organisation).filter(
            starts_at__gte=now, cancelled_at__isnull=True
        )
        return Panel(
            "outreach/_overview_panel.html",
            {"is_chamber": True, "events": list(events.order_by("starts_at")[:EVENTS_ON_OVERVIEW])},
        )
    events = events_for_member(organisation=organisation).filter(
        starts_at__gte=now, cancelled_at__isnull=True
    )
    upcoming = list(events[:EVENTS_ON_OVERVIEW])
    if not upcoming:
        return None
    return Panel("outreach/_overview_panel.html", {"is_chamber": False, "events": upcoming})
