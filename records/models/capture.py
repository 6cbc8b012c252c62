"""Changes of regulated records captured by the database itself (PostgreSQL triggers).

A trigger on every regulated table (installed after each `migrate`, records/capture.py) writes
one row here for each inserted, changed or deleted record, whoever wrote it: the application,
a raw SQL statement, psql or another program. The reconcile (records/services/capture.py) turns
the rows no application log entry accounts for into event-log entries and deletes every row it
has looked at, so the table holds only the last few minutes' changes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatabaseOperation(models.TextChoices):
    INSERT = "insert", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class DatabaseChange(models.Model):
    """One row written, changed or deleted in a regulated table, as the trigger saw it."""

    table_name = models.CharField(_("table"), max_length=100)
    row_pk = models.CharField(_("record id"), max_length=64)
    operation = models.CharField(_("operation"), max_length=6, choices=DatabaseOperation.choices)
    # The columns an update changed (an insert or delete: empty), and the row before and after.
    columns = models.JSONField(_("columns"), default=list, blank=True)
    old_row = models.JSONField(_("before"), null=True, blank=True)
    new_row = models.JSONField(_("after"), null=True, blank=True)
    db_transaction = models.BigIntegerField(_("database transaction"))
    db_session = models.IntegerField(_("database session"))
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("change captured in the database")
        verbose_name_plural = _("changes captured in the database")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.operation} {self.table_name}:{self.row_pk}"
