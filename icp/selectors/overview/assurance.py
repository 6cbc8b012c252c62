"""The assurance elements: training (E6), audits (E7) and records (E8)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from audits.models import ActionStatus, Audit, AuditStatus, CorrectiveAction, Finding, Severity
from core.i18n import labelled
from icp.selectors.training import training_coverage, training_matrix, training_overdue
from records.models import RetentionRule

from .common import ATTENTION, MISSING, OK, TRAINING_TARGET, ElementStatus


@dataclass
class AuditResult:
    audit: Audit
    major: int
    minor: int
    observations: int
    actions_open: int

    @property
    def findings(self) -> int:
        return self.major + self.minor + self.observations

    @property
    def text(self) -> str:
        if not self.findings:
            return gettext("No findings.")
        return gettext(
            "%(major)d major, %(minor)d minor findings, %(observations)d observations."
        ) % {
            "major": self.major,
            "minor": self.minor,
            "observations": self.observations,
        }


def _training(organisation, owner) -> ElementStatus:
    url = reverse("icp:training_matrix")
    matrix = training_matrix(organisation=organisation)
    overdue = training_overdue(matrix=matrix)
    known = {"training_overdue": len(overdue)}
    if not matrix.courses:
        return ElementStatus(
            "E6", MISSING, _("No training courses defined."), url, owner=owner, known=known
        )
    coverage = [
        (row.label, row.percent)
        for row in training_coverage(matrix=matrix)
        if row.percent is not None
    ]
    lowest = min((percent for _label, percent in coverage), default=100)
    facts: list[str | Promise] = [labelled(label, f"{percent}%") for label, percent in coverage]
    if overdue:
        facts.append(
            ngettext("%(count)d training overdue.", "%(count)d trainings overdue.", len(overdue))
            % {"count": len(overdue)}
        )
    return ElementStatus(
        "E6",
        OK if lowest >= TRAINING_TARGET and not overdue else ATTENTION,
        _("%(courses)d courses; lowest coverage %(percent)d%%.")
        % {"courses": len(matrix.courses), "percent": lowest},
        url,
        facts=facts,
        owner=owner,
        known=known,
    )


def last_audit_result(*, organisation) -> AuditResult | None:
    """The latest signed-off audit with its findings by severity (two queries)."""
    audit = (
        Audit.objects.for_organisation(organisation)
        .filter(status=AuditStatus.SIGNED_OFF)
        .select_related("lead_auditor")
        .order_by("-signed_off_at")
        .first()
    )
    if audit is None:
        return None
    counts = Finding.objects.filter(audit=audit).aggregate(
        major=Count("pk", distinct=True, filter=Q(severity=Severity.MAJOR)),
        minor=Count("pk", distinct=True, filter=Q(severity=Severity.MINOR)),
        observations=Count("pk", distinct=True, filter=Q(severity=Severity.OBSERVATION)),
        actions_open=Count(
            "actions", distinct=True, filter=~Q(actions__status=ActionStatus.VERIFIED)
        ),
    )
    return AuditResult(audit=audit, **counts)


def _audits(organisation) -> ElementStatus:
    url = reverse("audits:audit_list")
    result = last_audit_result(organisation=organisation)
    if result is None:
        return ElementStatus(
            "E7", MISSING, _("No compliance audit signed off yet."), url, known={"last_audit": None}
        )
    today = timezone.localdate()
    open_actions = (
        CorrectiveAction.objects.for_organisation(organisation)
        .exclude(status=ActionStatus.VERIFIED)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            # Overdue and not done yet (done ones wait for verification): "for you" shows these.
            overdue_unfinished=Count(
                "pk",
                filter=Q(
                    due_date__lt=today, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
                ),
            ),
        )
    )
    latest = result.audit
    signed_off_at = latest.signed_off_at
    assert signed_off_at is not None  # the result is of a signed-off audit
    signed_off_on = timezone.localdate(signed_off_at)
    next_due = signed_off_on + datetime.timedelta(days=365)
    facts: list[str | Promise] = [_("Result: %(result)s") % {"result": result.text}]
    if open_actions["open"]:
        facts.append(
            ngettext(
                "%(count)d corrective action not closed.",
                "%(count)d corrective actions not closed.",
                open_actions["open"],
            )
            % {"count": open_actions["open"]}
        )
    if open_actions["overdue"]:
        facts.append(_("%(count)d overdue.") % {"count": open_actions["overdue"]})
    return ElementStatus(
        "E7",
        ATTENTION if open_actions["overdue"] or next_due < timezone.localdate() else OK,
        _("Last audit %(reference)s signed off %(date)s.")
        % {"reference": latest.reference, "date": signed_off_on.isoformat()},
        url,
        facts=facts,
        owner=str(latest.lead_auditor or ""),
        next_due=next_due,
        known={"last_audit": result, "audit_actions_overdue": open_actions["overdue_unfinished"]},
    )


def _records(organisation, owner) -> ElementStatus:
    url = reverse("records:overview")
    rules = RetentionRule.objects.for_organisation(organisation).count()
    if not rules:
        return ElementStatus(
            "E8",
            ATTENTION,
            _("Records are kept for the legal minimum of five years; no rules of your own."),
            url,
            owner=owner,
        )
    return ElementStatus(
        "E8",
        OK,
        ngettext(
            "%(count)d retention rule, none shorter than five years.",
            "%(count)d retention rules, none shorter than five years.",
            rules,
        )
        % {"count": rules},
        url,
        owner=owner,
    )
