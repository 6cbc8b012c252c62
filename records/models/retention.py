"""Retention rules, the retention index, legal holds and disposal.

The Dual-Use Items Export Control Regulations 2024 (Art. 27) require contracts, end-user
certificates, invoices, books and correspondence to be kept for at least five years; the Export
Control Law (Art. 28) lets MOFCOM inspect and copy them. A rule may keep a kind of record longer,
never shorter. A legal hold keeps whatever it covers, whatever the rules say. Destruction happens
only through a disposal request approved by management, and leaves a disposal record.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationQuerySet, OrganisationScopedModel

LEGAL_MINIMUM_YEARS = 5  # REGS 2024 Art. 27
MAXIMUM_YEARS = 100


class RetentionError(ValidationError):
    """Raised when something would delete or overwrite a record that must be kept."""


class StartEvent(models.TextChoices):
    CREATED = "created", _("Creation or upload")
    ENDED = (
        "ended",
        _("End of the record (transaction completed, incident closed, policy superseded)"),
    )


class RetentionState(models.TextChoices):
    OPEN = "open", _("Retained: record still open")
    RETAINED = "retained", _("Retained")
    ON_HOLD = "on_hold", _("On legal hold")
    ELIGIBLE = "eligible", _("Eligible for disposal")
    DISPOSED = "disposed", _("Disposed")


class RetentionRule(OrganisationScopedModel):
    """How long one kind of record (or the documents of one kind) is kept, from which event.

    Where several rules apply to the same record, the longest wins.
    """

    class Subject(models.TextChoices):
        RECORD = "record", _("The record itself")
        DOCUMENT = "document", _("Documents attached to it")

    subject = models.CharField(
        _("applies to"), max_length=10, choices=Subject.choices, default=Subject.DOCUMENT
    )
    record_type = models.CharField(
        _("record type"), max_length=100, blank=True, help_text=_("Empty: every record type.")
    )
    document_type = models.CharField(
        _("document type"),
        max_length=32,
        blank=True,
        help_text=_("Only for documents. Empty: every document type."),
    )
    start_event = models.CharField(
        _("counted from"), max_length=10, choices=StartEvent.choices, default=StartEvent.ENDED
    )
    years = models.PositiveSmallIntegerField(
        _("years kept"),
        default=LEGAL_MINIMUM_YEARS,
        validators=[MinValueValidator(LEGAL_MINIMUM_YEARS), MaxValueValidator(MAXIMUM_YEARS)],
    )
    note = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Why this is kept longer than the legal minimum, or its legal basis."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["subject", "record_type", "document_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "subject", "record_type", "document_type"],
                name="retention_rule_unique",
            ),
            # The legal minimum holds even for a row written without the form or the service.
            models.CheckConstraint(
                condition=models.Q(years__gte=LEGAL_MINIMUM_YEARS),
                name="retention_rule_at_least_legal_minimum",
            ),
            models.CheckConstraint(
                condition=models.Q(subject="document") | models.Q(document_type=""),
                name="retention_rule_document_type_only_for_documents",
            ),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} · {self.record_type or '*'} · {self.years}"

    def clean(self):
        super().clean()
        if self.years is not None and self.years < LEGAL_MINIMUM_YEARS:
            raise ValidationError(
                {
                    "years": _("The law requires at least %(years)d years (REGS 2024 Art. 27).")
                    % {"years": LEGAL_MINIMUM_YEARS}
                }
            )


class RetainedRecord(OrganisationScopedModel):
    """The retention index: one row per regulated record and per document, kept up to date by
    `records.services.retention` (on every change, and daily for dates that pass)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    record_type = models.CharField(_("record type"), max_length=100)
    title = models.CharField(_("record"), max_length=300)
    document = models.OneToOneField(
        "records.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retention",
    )
    document_type = models.CharField(_("document type"), max_length=32, blank=True)
    # For a document: the record it is attached to.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    created_at = models.DateTimeField(_("created"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    start_event = models.CharField(_("counted from"), max_length=10, choices=StartEvent.choices)
    years = models.PositiveSmallIntegerField(_("years kept"))
    rule = models.ForeignKey(
        RetentionRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retained_until = models.DateField(_("retained until"), null=True, blank=True)
    disposed_at = models.DateTimeField(_("disposed"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("retained record")
        verbose_name_plural = _("retained records")
        ordering = ["retained_until", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="retained_record_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "retained_until"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("records:retained_detail", args=[self.pk])

    def get_state_label(self):
        """The label of the `state` annotated by records.selectors.with_state."""
        return RetentionState(self.state).label

    @property
    def is_document(self) -> bool:
        return self.document_id is not None or bool(self.document_type)

    def state(self, *, on_hold: bool, today: datetime.date | None = None) -> str:
        if self.disposed_at is not None:
            return RetentionState.DISPOSED
        if on_hold:
            return RetentionState.ON_HOLD
        if self.retained_until is None:
            return RetentionState.OPEN
        if self.retained_until > (today or timezone.localdate()):
            return RetentionState.RETAINED
        return RetentionState.ELIGIBLE


class LegalHold(OrganisationScopedModel):
    """An investigation, a MOFCOM inquiry or a customs challenge: what it covers is kept."""

    class Kind(models.TextChoices):
        MOFCOM_INQUIRY = "mofcom_inquiry", _("MOFCOM inquiry or inspection")
        CUSTOMS_CHALLENGE = "customs_challenge", _("Customs challenge")
        INVESTIGATION = "investigation", _("Internal or official investigation")
        LITIGATION = "litigation", _("Litigation or dispute")
        OTHER = "other", _("Other")

    kind = models.CharField(_("reason"), max_length=20, choices=Kind.choices)
    reference = models.CharField(
        _("reference"), max_length=100, help_text=_("E.g. the authority's file number.")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    items = models.ManyToManyField(
        RetainedRecord, related_name="holds", blank=True, verbose_name=_("records held")
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_note = models.TextField(_("why it was released"), blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at"]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("records:hold_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    def delete(self, *args, **kwargs):
        raise RetentionError(_("A legal hold is released, never deleted."), code="hold_delete")


class DisposalRequest(OrganisationScopedModel):
    """A proposal to destroy records whose retention has ended; management approves it.

    Proposed by a compliance manager, decided by a member of management (never the proposer).
    Approval destroys at once what is still eligible and writes one disposal record per item.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting approval")
        COMPLETED = "completed", _("Approved and destroyed")
        REJECTED = "rejected", _("Rejected")

    reference = models.CharField(_("reference"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    reason = models.TextField(_("reason"), blank=True)
    items = models.ManyToManyField(RetainedRecord, related_name="+", verbose_name=_("records"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("approver's note"), blank=True)

    class Meta:
        verbose_name = _("disposal request")
        verbose_name_plural = _("disposal requests")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="disposal_reference_unique"
            )
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("records:disposal_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise RetentionError(_("A disposal request is part of the record."), code="disposal")


class DisposalRecordQuerySet(OrganisationQuerySet):
    def update(self, **kwargs):
        raise RetentionError(_("Disposal records are never changed."), code="disposal_record")

    def delete(self):
        raise RetentionError(_("Disposal records are never deleted."), code="disposal_record")


class DisposalRecord(OrganisationScopedModel):
    """What was destroyed (or kept after all), its hash, who approved it and when. Never changed."""

    class Outcome(models.TextChoices):
        DESTROYED = "destroyed", _("Destroyed")
        KEPT = "kept", _("Kept")

    # Why the system kept a record: stored as the code, shown in the reader's language.
    KEPT_REASONS = {
        "record_gone": gettext_noop("The record no longer exists."),
        "on_hold": gettext_noop("A legal hold was placed on it."),
        "retention_running": gettext_noop("Its retention period has not ended."),
    }

    request = models.ForeignKey(
        DisposalRequest, on_delete=models.PROTECT, related_name="disposal_records"
    )
    retained_record = models.ForeignKey(
        RetainedRecord, on_delete=models.PROTECT, related_name="disposal_records"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    outcome_reason = models.CharField(_("why"), max_length=300, blank=True)
    record_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(max_length=64)
    title = models.CharField(_("record"), max_length=300)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    retained_until = models.DateField(_("retained until"), null=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"))
    disposed_at = models.DateTimeField(_("disposed"), null=True, blank=True)

    objects = DisposalRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("disposal record")
        verbose_name_plural = _("disposal records")
        ordering = ["-approved_at", "pk"]

    @property
    def outcome_reason_display(self) -> str:
        return kept_reason_text(self.outcome_reason)

    def __str__(self):
        return f"{self.title} · {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise RetentionError(_("Disposal records are never changed."), code="disposal_record")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RetentionError(_("Disposal records are never deleted."), code="disposal_record")


def kept_reason_text(reason: str) -> str:
    """A kept record's reason in the reader's language: a code is translated; a sentence stored
    before codes were used (in either language) is recognised; other text (the refusal of the
    record's own rules) is shown as written."""
    if reason in DisposalRecord.KEPT_REASONS:
        return gettext(DisposalRecord.KEPT_REASONS[reason])
    for message in DisposalRecord.KEPT_REASONS.values():
        for language in ("en", "zh-hans"):
            with translation.override(language):
                matches = reason == gettext(message)
            if matches:
                return gettext(message)
    return reason
