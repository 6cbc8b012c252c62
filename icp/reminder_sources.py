"""The programme's reminder source: training refreshers due, and sessions attended whose quiz
is still to pass (registered from apps.py; the notification centre is in records, below icp
in the layers)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from records.services.reminders import ReminderItem, reminder_source

from .selectors.training import Status, training_matrix


@reminder_source("training", _("Training refresher due"))
def training(organisation, today):
    matrix = training_matrix(organisation=organisation, today=today)
    url = reverse("icp:training_mine")
    for row in matrix.rows:
        for cell in row.cells:
            if cell.status not in (
                Status.DUE_SOON,
                Status.OVERDUE,
                Status.NEVER,
                Status.QUIZ_TO_PASS,
            ):
                continue
            topic = cell.course
            if cell.status == Status.QUIZ_TO_PASS:
                # Keyed by the session's date: a later session attended is a new reminder.
                yield ReminderItem(
                    kind="training",
                    key=f"training:{cell.course.pk}:{row.user.pk}:quiz:{cell.attended_on}",
                    message=_("You attended %(course)s: pass its quiz to complete the course."),
                    params={"course": topic},
                    url=url,
                    user_ids=frozenset({row.user.pk}),
                )
                continue
            if cell.status == Status.NEVER:
                message = _("Training required: %(course)s.")
            elif cell.status == Status.OVERDUE:
                message = _("Your refresher of %(course)s was due on %(date)s.")
            else:
                message = _("Your refresher of %(course)s is due on %(date)s.")
            yield ReminderItem(
                kind="training",
                key=f"training:{cell.course.pk}:{row.user.pk}:{cell.status}:{cell.due or ''}",
                message=message,
                params={"course": topic, "date": cell.due.isoformat() if cell.due else ""},
                url=url,
                due_on=cell.due,
                user_ids=frozenset({row.user.pk}),
            )
