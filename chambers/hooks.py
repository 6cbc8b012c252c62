"""What a member sees of its chambers in the programme's own pages, by registration: the
regulatory updates, list updates and shared content in the notification centre (reminder
sources, records/services/reminders.py) and a panel on the overview (core/panels.py). Neither
page imports this app."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.i18n import localised
from core.panels import Panel, overview_panel
from records.services.reminders import ReminderItem, reminder_source

from .models import ChamberMembershipStatus
from .selectors import (
    UPDATES_ON_OVERVIEW,
    list_updates_for_member,
    memberships_of_member,
    regulatory_updates_for_member,
    shared_content_for_member,
)
from .services import chamber_of

# Updates older than this when a member joins are history, not news: no notification.
NOTIFY_WINDOW = datetime.timedelta(days=90)


class _Localised:
    """A field pair shown in the reader's language when the reminder is rendered."""

    def __init__(self, obj, field):
        self.obj, self.field = obj, field

    def __str__(self):
        return localised(self.obj, self.field)


@reminder_source("chamber_update", _("Regulatory update from your chamber of commerce"))
def chamber_update_reminders(organisation, today):
    since = timezone.now() - NOTIFY_WINDOW
    for update in regulatory_updates_for_member(organisation=organisation, since=since):
        yield ReminderItem(
            kind="chamber_update",
            key=f"chamber_update:{update.pk}",
            message=_("%(chamber)s: %(number)s %(title)s"),
            params={
                "chamber": update.organisation,
                "number": update.announcement_number,
                "title": _Localised(update, "title"),
            },
            url=reverse("chambers:update_detail", args=[update.pk]),
            roles=roles.PROGRAMME_READERS,
        )


@reminder_source("chamber_list_update", _("Screening list update from your chamber of commerce"))
def chamber_list_update_reminders(organisation, today):
    since = timezone.now() - NOTIFY_WINDOW
    for update in list_updates_for_member(organisation=organisation, since=since):
        yield ReminderItem(
            kind="chamber_list_update",
            key=f"chamber_list_update:{update.pk}",
            message=_("%(chamber)s published a list update: %(number)s, %(list)s"),
            params={
                "chamber": update.organisation,
                "number": update.announcement_number,
                "list": _Localised(update.screening_list, "name"),
            },
            url=reverse("chambers:shared_lists"),
            roles=roles.PROGRAMME_READERS,
        )


class _KindLabel:
    """The publication's kind, named in the reader's language when the reminder is rendered."""

    def __init__(self, publication):
        self.publication = publication

    def __str__(self):
        return str(self.publication.get_kind_display())


@reminder_source("chamber_shared", _("Content shared by your chamber of commerce"))
def chamber_shared_reminders(organisation, today):
    """A template, list or catalogue version, course or manual settings the chamber shared:
    the compliance manager decides whether the organisation uses or adopts it."""
    since = timezone.now() - NOTIFY_WINDOW
    for publication in shared_content_for_member(organisation=organisation, since=since):
        yield ReminderItem(
            kind="chamber_shared",
            key=f"chamber_shared:{publication.pk}",
            message=_("%(chamber)s shared %(kind)s: %(title)s"),
            params={
                "chamber": publication.organisation,
                "kind": _KindLabel(publication),
                "title": _Localised(publication, "title"),
            },
            url=reverse("chambers:update_detail", args=[publication.pk]),
            roles=roles.PROGRAMME_EDITORS,
        )


@overview_panel(order=40)
def chamber_overview_panel(request):
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    if organisation is None or membership is None:
        return None
    if chamber_of(organisation) is not None:
        # The chamber's pages are for its readers; its staff have nothing to open there.
        if membership.role not in roles.PROGRAMME_READERS:
            return None
        return Panel("chambers/_overview_chamber.html", {})
    memberships = [
        m
        for m in memberships_of_member(organisation=organisation)
        if m.status in (ChamberMembershipStatus.INVITED, ChamberMembershipStatus.ACTIVE)
    ]
    if not memberships:
        return None
    invitations = [m for m in memberships if m.status == ChamberMembershipStatus.INVITED]
    updates = list(regulatory_updates_for_member(organisation=organisation)[:UPDATES_ON_OVERVIEW])
    list_updates = list(list_updates_for_member(organisation=organisation)[:UPDATES_ON_OVERVIEW])
    return Panel(
        "chambers/_overview_member.html",
        {
            "updates": updates,
            "list_updates": list_updates,
            "invitations": invitations
            if membership.role in roles.CHAMBER_MEMBERSHIP_DECIDERS
            else [],
        },
    )
