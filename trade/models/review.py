"""The review of a transaction: red-flag answers, the event log, and frozen approvals."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import OrganisationScopedModel


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class RedFlagAnswer(OrganisationScopedModel):
    """The answer to one red-flag question of the reference library for one transaction.

    `prefilled` answers come from data (screening, parties, destination risk, EUC) and follow the
    data until a person answers; a blocking flag answered yes or unknown needs a compliance
    manager's resolution before approval.
    """

    transaction = models.ForeignKey(
        "trade.Transaction",
        on_delete=models.CASCADE,
        related_name="red_flag_answers",
        verbose_name=_("transaction"),
    )
    red_flag = models.ForeignKey(
        "reference.RedFlag", on_delete=models.PROTECT, related_name="+", verbose_name=_("red flag")
    )
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, blank=True)
    # A person's note as written; the system's note (a pre-filled answer's reason) is stored as
    # a code and its parameters (trade.review_text) and shown in the reader's language.
    note = models.TextField(_("note"), blank=True)
    note_code = models.CharField(_("note (code)"), max_length=60, blank=True)
    note_params = models.JSONField(_("note (parameters)"), default=dict, blank=True)
    prefilled = models.BooleanField(_("answered from data"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("red-flag answer")
        verbose_name_plural = _("red-flag answers")
        ordering = ["transaction", "red_flag__ref_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "red_flag"], name="trade_red_flag_answer_unique"
            )
        ]

    def __str__(self):
        return f"{self.red_flag.ref_id}: {self.get_answer_display() or '—'}"

    @property
    def is_raised(self) -> bool:
        return self.answer in (Answer.YES, Answer.UNKNOWN)

    @property
    def note_text(self) -> str:
        """The note in the reader's language: the system's reason rendered from its code, a
        person's note as written."""
        from trade.review_text import render

        return render(self.note_code, self.note_params, self.note)

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class TransactionEvent(OrganisationScopedModel):
    """What happened to a transaction, in order: the review trail shown on its page and PDF."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        HELD = "held", _("Put on hold")
        RELEASED = "released", _("Released from hold")
        REOPENED = "reopened", _("Review reopened")
        CHANGED = "changed", _("Changed")
        FLAG_RESOLVED = "flag_resolved", _("Red flag resolved")
        SHIPPED = "shipped", _("Shipped")

    transaction = models.ForeignKey(
        "trade.Transaction",
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("transaction"),
    )
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Set when the system wrote the reason: rendered in the reader's language (trade.stored_text).
    reason_code = models.CharField(_("reason (code)"), max_length=40, blank=True)
    reason_params = models.JSONField(_("reason (parameters)"), default=dict, blank=True)
    source = models.CharField(
        _("source"),
        max_length=40,
        blank=True,
        help_text=_("manual, incident, list update, api ..."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("transaction event")
        verbose_name_plural = _("transaction events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.transaction} · {self.get_kind_display()}"

    @property
    def reason_text(self) -> str:
        from trade.stored_text import render

        return render(self.reason_code, self.reason_params, self.reason)


class Approval(OrganisationScopedModel):
    """An approval frozen with its evidence. Never edited; a reopened review supersedes it."""

    transaction = models.ForeignKey(
        "trade.Transaction",
        on_delete=models.PROTECT,
        related_name="approvals",
        verbose_name=_("transaction"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    superseded_reason = models.TextField(_("why superseded"), blank=True)
    superseded_reason_code = models.CharField(_("why superseded (code)"), max_length=40, blank=True)
    superseded_reason_params = models.JSONField(
        _("why superseded (parameters)"), default=dict, blank=True
    )
    # Changes a rule allows without a new review (a quantity within the licence's balance), each
    # {"at", "by", "code", "params"}: added to, never edited; the evidence above stays as frozen.
    amendments = models.JSONField(_("changes after the approval"), default=list, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-approved_at", "-pk"]

    def __str__(self):
        return f"{self.transaction} · {self.approved_at:%Y-%m-%d}"

    @property
    def superseded_reason_text(self) -> str:
        from trade.stored_text import render

        return render(
            self.superseded_reason_code, self.superseded_reason_params, self.superseded_reason
        )


class LicencePathOutcome(models.TextChoices):
    PROHIBITED = "prohibited", _("Prohibited")
    CONSULT_MOFCOM = "consult_mofcom", _("Consult MOFCOM first")
    SINGLE_LICENCE = "single_licence", _("Single licence")
    GENERAL_LICENCE = "general_licence", _("General licence held")
    EXPORT_VOUCHER = "export_voucher", _("Export voucher by registration")
    LICENCE_OR_REPORT = "licence_or_report", _("Catch-all: apply for a licence or report")
    NO_LICENCE = "no_licence", _("No licence needed")


class LicencePath(OrganisationScopedModel):
    """The licensing decision path walked for one transaction line: the answers, the outcome
    with its legal basis, and what it was walked on (reference version, key-data fingerprint).
    A path whose fingerprint no longer matches the line's key data must be walked again."""

    transaction = models.ForeignKey(
        "trade.Transaction",
        on_delete=models.CASCADE,
        related_name="licence_paths",
        verbose_name=_("transaction"),
    )
    line = models.OneToOneField(
        "trade.TransactionItem",
        on_delete=models.CASCADE,
        related_name="licence_path",
        verbose_name=_("transaction item"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    voucher_case = models.CharField(_("export voucher case"), max_length=40, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=LicencePathOutcome.choices)
    # The steps that led to the outcome, as codes and parameters (rendered in the reader's
    # language), and the legal basis as cited (Chinese form).
    findings = models.JSONField(_("findings"), default=list)
    basis = models.JSONField(_("legal basis"), default=list)
    licence = models.ForeignKey(
        "trade.Licence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("licence or export voucher"),
    )
    reference_version = models.CharField(_("reference version"), max_length=20)
    reference_sha256 = models.CharField(max_length=64, blank=True)
    fingerprint = models.CharField(max_length=64)
    walked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("walked by"),
    )
    walked_at = models.DateTimeField(_("walked"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("licensing decision path")
        verbose_name_plural = _("licensing decision paths")
        ordering = ["transaction", "line"]

    def __str__(self):
        return f"{self.line} · {self.get_outcome_display()}"

    @property
    def basis_display(self) -> str:
        """The legal basis in the reader's language (stored in its Chinese citation form)."""
        from trade.review_text import citations

        return citations(self.basis)

    def get_absolute_url(self):
        return reverse("transactions:licence_path", args=[self.transaction_id, self.line_id])

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
