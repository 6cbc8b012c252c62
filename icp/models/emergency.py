"""E5 Emergency measures: response plans per scenario and the incident register.

REGS Art. 35 requires an exporter to report to MOFCOM, remove or reduce the harm and cooperate
when it finds (or MOFCOM notifies it) that an export falls under the catch-all of Art. 14(3), a
MOFCOM notice under Art. 18(4), or the end-use and certificate situations of Art. 25 (which also
require stopping the export at once). Art. 19(3) requires stopping and reporting when an export
under an export voucher no longer fits the voucher's situations; Art. 38 requires reporting a
foreign government's request for visits or verification.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import roles
from accounts.models import OrganisationScopedModel
from core.i18n import localised
from core.registry import register_record


class Scenario(models.TextChoices):
    END_USE_CHANGED = "end_use_changed", _("End use or end user has changed or may change")
    EUC_INVALID = "euc_invalid", _("End-user certificate forged, altered or expired")
    EUC_IMPROPER = "euc_improper", _("End-user certificate obtained by deception or bribery")
    CATCH_ALL = (
        "catch_all",
        _(
            "Unlisted item that may endanger national security or serve weapons of mass "
            "destruction or terrorism (catch-all)"
        ),
    )
    MOFCOM_LICENCE_NOTICE = (
        "mofcom_licence_notice",
        _("MOFCOM notice to stop using a licence (major change in the licensing factors)"),
    )
    VOUCHER_NOT_APPLICABLE = (
        "voucher_not_applicable",
        _("Export under an export voucher no longer fits the registered situation"),
    )
    LIST_HIT = "list_hit", _("Hit on a control list")
    FOREIGN_VERIFICATION = "foreign_verification", _("Foreign government verification request")
    SUSPECTED_VIOLATION = "suspected_violation", _("Suspected violation reported by an employee")
    # Customs and MOFCOM (reference/data/emergency-templates.yaml holds the plans and letters).
    CUSTOMS_CHALLENGE = "customs_challenge", _("Customs challenge of an export declaration")
    MOFCOM_INSPECTION = "mofcom_inspection", _("MOFCOM inspection or investigation")
    REGULATORY_TALK = "regulatory_talk", _("Regulatory talk or warning letter from MOFCOM")
    VOLUNTARY_REPORT = "voluntary_report", _("Voluntary report of a possible violation")
    OTHER = "other", _("Other concern")


# Scenarios in which the law requires a report to MOFCOM, with the provisions that require it
# (REGS Art. 35 with Arts. 14(3), 18(4) and 25; Art. 19(3); Art. 38), in Chinese citation form.
REPORTABLE_SCENARIOS = {
    Scenario.END_USE_CHANGED: _(
        "Regulations on dual-use items, Art. 25(1) and Art. 35; Export Control Law, Art. 16"
    ),
    Scenario.EUC_INVALID: _("Regulations on dual-use items, Art. 25(2) and Art. 35"),
    Scenario.EUC_IMPROPER: _("Regulations on dual-use items, Art. 25(3) and Art. 35"),
    Scenario.CATCH_ALL: _("Regulations on dual-use items, Art. 14(3) and Art. 35"),
    Scenario.MOFCOM_LICENCE_NOTICE: _("Regulations on dual-use items, Art. 18(4) and Art. 35"),
    Scenario.VOUCHER_NOT_APPLICABLE: _("Regulations on dual-use items, Art. 19(3)"),
    Scenario.FOREIGN_VERIFICATION: _("Regulations on dual-use items, Art. 38"),
}


class ResponsePlan(OrganisationScopedModel):
    scenario = models.CharField(_("scenario"), max_length=32, choices=Scenario.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    steps_zh = models.TextField(_("steps (Chinese)"), help_text=_("One step per line."))
    steps_en = models.TextField(_("steps (English)"), blank=True, help_text=_("One step per line."))
    contacts = models.TextField(_("contacts"), blank=True)
    escalation = models.TextField(_("escalation"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_due = models.DateField(_("review due"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("response plan")
        verbose_name_plural = _("response plans")
        ordering = ["scenario", "title_zh"]

    def __str__(self):
        return localised(self, "title")

    def get_absolute_url(self):
        return reverse("icp:plan_detail", args=[self.pk])

    def steps(self) -> list[str]:
        text = localised(self, "steps")
        return [line.strip() for line in text.splitlines() if line.strip()]


class Incident(OrganisationScopedModel):
    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        INVESTIGATING = "investigating", _("Under investigation")
        CLOSED = "closed", _("Closed")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    reference = models.CharField(_("reference"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    scenario = models.CharField(
        _("scenario"), max_length=32, choices=Scenario.choices, default=Scenario.OTHER
    )
    # Empty when the report was made anonymously: nothing else records who made it.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    # SHA-256 of the receipt code given to the reporter (shown once, never stored in clear):
    # with it an anonymous reporter follows the report without revealing who they are.
    receipt_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REPORTED
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    response_plan = models.ForeignKey(
        ResponsePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("response plan"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    transactions = models.ManyToManyField(
        "trade.Transaction",
        blank=True,
        related_name="incidents",
        verbose_name=_("linked transactions"),
    )
    mofcom_reported_on = models.DateField(_("reported to MOFCOM on"), null=True, blank=True)
    mofcom_reference = models.CharField(_("MOFCOM reference"), max_length=100, blank=True)
    mofcom_report = models.TextField(_("content of the report to MOFCOM"), blank=True)
    not_reportable_reason = models.TextField(_("why no report to MOFCOM is needed"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closure_summary = models.TextField(_("closure summary"), blank=True)
    history = HistoricalRecords(excluded_fields=["receipt_hash"])

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="incident_reference_unique"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("icp:incident_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def requires_mofcom_report(self) -> bool:
        return self.scenario in REPORTABLE_SCENARIOS

    @property
    def reporting_basis(self) -> str:
        """The provisions that require the report, in the reader's language ('' if none)."""
        basis = REPORTABLE_SCENARIOS.get(self.scenario)
        return str(basis) if basis else ""


class IncidentEvent(models.Model):
    """The incident's timeline: appended to, never changed."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Reported")
        TRIAGED = "triaged", _("Triaged")
        NOTE = "note", _("Investigation note")
        REPLY = "reply", _("Reply to the reporter")
        SHIPMENT_STOPPED = "shipment_stopped", _("Shipment stopped")
        MOFCOM_REPORTED = "mofcom_reported", _("Reported to MOFCOM")
        ACTION_ADDED = "action_added", _("Corrective action added")
        ACTION_DONE = "action_done", _("Corrective action completed")
        CLOSED = "closed", _("Closed")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Sentences the system writes on the timeline: stored as a code and its parameters, shown in
    # the reader's language (never in the writer's). Parameters hold names and references as
    # they are, the severity as its code and dates in ISO format.
    TEXTS = {
        "reported_anonymously": gettext_noop("Reported anonymously."),
        "triaged": gettext_noop("Severity %(severity)s, owner %(owner)s."),
        "transaction_linked": gettext_noop("Linked transaction %(reference)s."),
        "mofcom_reported": gettext_noop("Reported on %(date)s, MOFCOM reference %(reference)s."),
        "mofcom_reported_no_reference": gettext_noop("Reported on %(date)s."),
        "action_added": gettext_noop("%(action)s (owner %(owner)s, due %(due)s)"),
    }

    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    # A person's own words (a note, a reply, a closure summary), shown as written.
    text = models.TextField(_("details"), blank=True)
    code = models.CharField(_("details (code)"), max_length=40, blank=True)
    params = models.JSONField(_("details (parameters)"), default=dict, blank=True)

    class Meta:
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.incident.reference} {self.kind}"

    @property
    def display_text(self) -> str:
        """What the event says, in the reader's language: the system's sentence rendered from its
        code, or the text as written (a person's words, or a row nobody could recognise)."""
        return incident_event_text(self.code, self.params, self.text)


def _event_params(params: dict) -> dict:
    from django.utils.dateparse import parse_date
    from django.utils.formats import date_format

    values = dict(params)
    if "severity" in values:
        values["severity"] = str(
            dict(Incident.Severity.choices).get(values["severity"], values["severity"])
        )
    for key in ("date", "due"):
        day = parse_date(str(values.get(key) or ""))
        if day is not None:
            values[key] = date_format(day, "DATE_FORMAT")
    return values


def incident_event_text(code: str, params: dict | None, fallback: str = "") -> str:
    template = IncidentEvent.TEXTS.get(code or "")
    if template is None:
        return fallback
    try:
        return gettext(template) % _event_params(params or {})
    except (KeyError, TypeError, ValueError):
        return fallback


def incident_event_parse(text: str, languages=("en", "zh-hans")) -> tuple[str, dict] | None:
    """The code and parameters of a timeline sentence the system wrote (in either language)
    before codes were stored; None for anything else (a person's words stay as written)."""
    import re

    from django.utils import translation

    text = (text or "").strip()
    if not text:
        return None
    severities: dict[str, str] = {}
    for language in languages:
        with translation.override(language):
            for value, label in Incident.Severity.choices:
                severities[str(label)] = value
    # Only the sentences earlier versions wrote (the MOFCOM and action lines were not sentences).
    for code in ("reported_anonymously", "triaged", "transaction_linked"):
        for language in languages:
            with translation.override(language):
                template = gettext(IncidentEvent.TEXTS[code])
            parts = re.split(r"%\((\w+)\)s", template)
            regex = "".join(
                re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
                for index, part in enumerate(parts)
            )
            match = re.fullmatch(regex, text, re.DOTALL)
            if match is None:
                continue
            params = match.groupdict()
            if "severity" in params:
                if params["severity"] not in severities:
                    continue
                params["severity"] = severities[params["severity"]]
            return code, params
    return None


class IncidentAction(models.Model):
    """A corrective action of an incident, with its owner and due date."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.TextField(_("how it was done"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description[:60]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


register_record(
    ResponsePlan, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.PROGRAMME_EDITORS
)
register_record(Incident, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.PROGRAMME_EDITORS)
