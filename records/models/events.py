"""The tamper-evident event log: one hash chain per organisation.

Each entry's hash is the SHA-256 of its canonical content, which includes the previous entry's
hash, so changing, removing or inserting any row breaks every later link. One chain per
organisation (rather than one global chain) lets a MOFCOM inspector verify one firm's log, and
hand it over, without seeing another firm's entries. `ChainHead` is the lock row: appends take it
with SELECT ... FOR UPDATE (PostgreSQL) or under SQLite's write lock taken at BEGIN IMMEDIATE.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationQuerySet

from .retention import RetentionError

GENESIS_HASH = "0" * 64


class EventAction(models.TextChoices):
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    APPROVE = "approve", _("Approved")
    DOWNLOAD = "download", _("Downloaded")
    UPLOAD = "upload", _("Document attached")
    HOLD = "hold", _("Legal hold placed")
    HOLD_CHANGE = "hold_change", _("Legal hold changed")
    RELEASE = "release", _("Legal hold released")
    RULE = "rule", _("Retention rule changed")
    DISPOSAL_PROPOSED = "disposal_proposed", _("Disposal proposed")
    DISPOSAL_REJECTED = "disposal_rejected", _("Disposal rejected")
    DISPOSE = "dispose", _("Destroyed after approval")
    EXPORT = "export", _("Exported")
    # Written by the reconcile of changes captured at the database (records/services/capture.py).
    DATABASE_INSERT = "db_insert", _("Created directly in the database, outside the application")
    DATABASE_UPDATE = "db_update", _("Changed directly in the database, outside the application")
    DATABASE_DELETE = "db_delete", _("Deleted directly in the database, outside the application")


class EventLogQuerySet(OrganisationQuerySet):
    def update(self, **kwargs):
        raise RetentionError(_("The event log is append-only."), code="event_log")

    def delete(self):
        raise RetentionError(_("The event log is append-only."), code="event_log")


def canonical_json(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


class EventLogEntry(models.Model):
    """One event on a regulated record. Appended by `records.services.eventlog`, never changed."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveBigIntegerField(_("no."))
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    record_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    # Set by the database on insert (PostgreSQL only, records/capture.py): the transaction and
    # the server session that wrote the entry, so the reconcile of captured changes can tell the
    # application's own writes from changes made around it. Not covered by the hash: they say
    # where an entry came from, not what happened.
    db_transaction = models.BigIntegerField(null=True, blank=True, editable=False)
    db_session = models.IntegerField(null=True, blank=True, editable=False)

    objects = EventLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("event log entry")
        verbose_name_plural = _("event log")
        ordering = ["organisation", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sequence"], name="event_log_sequence_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "record_type", "object_id"]),
            models.Index(fields=["db_transaction"], name="event_log_db_transaction"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.record_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise RetentionError(_("The event log is append-only."), code="event_log")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RetentionError(_("The event log is append-only."), code="event_log")

    def canonical_content(self) -> dict:
        """Everything the hash covers, in a form that survives a database round trip."""
        return {
            "organisation": self.organisation_id,
            "sequence": self.sequence,
            "at": self.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "record_type": self.record_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.canonical_content())).hexdigest()


class ChainHead(models.Model):
    """The last entry of an organisation's chain; the row appends lock."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("event log head")
        verbose_name_plural = _("event log heads")

    def __str__(self):
        return f"{self.organisation_id}: #{self.sequence}"
