"""The trade reminder source: reports to MOFCOM after a licensed shipment (registered from
apps.py; the notification centre is in records, below trade in the layers)."""

import datetime

from django.utils.translation import gettext_lazy as _

from records.reminder_sources import ACTION_DUE_SOON_DAYS, MANAGERS
from records.services.reminders import ReminderItem, reminder_source

from .models import PostShipmentDuty, ReportDuty


@reminder_source("post_shipment_report", _("Report after shipment due"))
def post_shipment_reports(organisation, today):
    """The reports REGS Art. 18 asks for after a licensed shipment: a week before they fall
    due, and again once overdue."""
    horizon = today + datetime.timedelta(days=ACTION_DUE_SOON_DAYS)
    duties = (
        PostShipmentDuty.objects.for_organisation(organisation)
        .filter(done_at__isnull=True, due_on__lte=horizon)
        .select_related("transaction")
    )
    for duty in duties:
        due = duty.due_on
        state = "overdue" if due < today else "due"
        yield ReminderItem(
            kind="post_shipment_report",
            key=f"post_shipment_report:{duty.pk}:{state}",
            message=(
                _(
                    "The report to MOFCOM on %(report)s for %(reference)s was due on %(date)s "
                    "(《两用物项出口管制条例》第十八条第一款)."
                )
                if state == "overdue"
                else _(
                    "The report to MOFCOM on %(report)s for %(reference)s is due on %(date)s "
                    "(《两用物项出口管制条例》第十八条第一款)."
                )
            ),
            params={
                "report": ReportDuty(duty.kind).label,
                "reference": duty.transaction.reference,
                "date": due.isoformat(),
            },
            url=duty.get_absolute_url(),
            due_on=due,
            roles=MANAGERS,
        )
