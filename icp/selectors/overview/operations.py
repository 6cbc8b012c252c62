"""The operating elements: the risk assessment (E3), transaction review (E4) and emergency
response (E5)."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from icp.models import REPORTABLE_SCENARIOS, Incident, ResponsePlan, RiskAssessment
from screening.models import Party, ScreeningStatus
from trade.models import Transaction, TransactionState

from .common import (
    ATTENTION,
    MISSING,
    OK,
    RISK_ASSESSMENT_VALIDITY,
    STABLE_WINDOW_DAYS,
    ElementStatus,
)


def _risk(organisation, owner) -> ElementStatus:
    url = reverse("icp:risk_assessment_list")
    latest = (
        RiskAssessment.objects.for_organisation(organisation)
        .filter(status=RiskAssessment.Status.APPROVED)
        .annotate(risk_count=Count("risks"))
        .order_by("-assessment_date")
        .first()
    )
    if latest is None:
        return ElementStatus("E3", MISSING, _("No approved risk assessment."), url, owner=owner)
    next_due = latest.assessment_date + RISK_ASSESSMENT_VALIDITY
    return ElementStatus(
        "E3",
        OK if next_due >= timezone.localdate() else ATTENTION,
        _("Last approved assessment %(date)s with %(risks)d risks.")
        % {"date": latest.assessment_date.isoformat(), "risks": latest.risk_count},
        url,
        owner=owner,
        next_due=next_due,
    )


def _shipped_recent_q(today: datetime.date) -> Q:
    """Approved exports shipped in the last two years (the window of REGS Art. 16 checks)."""
    return Q(
        state=TransactionState.APPROVED,
        shipped_on__gt=today - datetime.timedelta(days=STABLE_WINDOW_DAYS),
        shipped_on__lte=today,
    )


def _transaction_review(organisation, owner) -> ElementStatus:
    url = reverse("transactions:queue")
    parties = (
        Party.objects.for_organisation(organisation)
        .filter(is_active=True)
        .aggregate(
            unscreened=Count("pk", filter=Q(screening_status=ScreeningStatus.NOT_SCREENED)),
            open_hits=Count("pk", filter=Q(screening_status=ScreeningStatus.NEEDS_REVIEW)),
        )
    )
    transactions = Transaction.objects.for_organisation(organisation).aggregate(
        total=Count("pk"),
        in_review=Count("pk", filter=Q(state=TransactionState.IN_REVIEW)),
        on_hold=Count("pk", filter=Q(state=TransactionState.ON_HOLD)),
        shipped_recent=Count("pk", filter=_shipped_recent_q(timezone.localdate())),
    )
    known = {
        "in_review": transactions["in_review"],
        "on_hold": transactions["on_hold"],
        # The export record of the general-licence readiness (general_licence_conditions).
        "shipped_recent": transactions["shipped_recent"],
    }
    if not transactions["total"]:
        return ElementStatus(
            "E4", MISSING, _("No export transaction reviewed yet."), url, owner=owner, known=known
        )
    facts: list[str | Promise] = []
    if transactions["on_hold"]:
        facts.append(
            ngettext(
                "%(count)d transaction on hold.",
                "%(count)d transactions on hold.",
                transactions["on_hold"],
            )
            % {"count": transactions["on_hold"]}
        )
    if parties["unscreened"]:
        facts.append(
            ngettext(
                "%(count)d party never screened.",
                "%(count)d parties never screened.",
                parties["unscreened"],
            )
            % {"count": parties["unscreened"]}
        )
    if parties["open_hits"]:
        facts.append(
            ngettext(
                "%(count)d potential match awaits a decision.",
                "%(count)d potential matches await a decision.",
                parties["open_hits"],
            )
            % {"count": parties["open_hits"]}
        )
    return ElementStatus(
        "E4",
        ATTENTION if parties["unscreened"] or parties["open_hits"] else OK,
        _("%(total)d transactions; %(in_review)d waiting for review.")
        % {"total": transactions["total"], "in_review": transactions["in_review"]},
        url,
        facts=facts,
        owner=owner,
        known=known,
    )


def _emergency(organisation, owner) -> ElementStatus:
    url = reverse("icp:incident_list")
    covered = set(
        ResponsePlan.objects.for_organisation(organisation).values_list("scenario", flat=True)
    )
    today = timezone.localdate()
    # One query: the incidents joined to their actions (hence the distinct counts).
    incidents = Incident.objects.for_organisation(organisation).aggregate(
        open=Count("pk", distinct=True, filter=~Q(status=Incident.Status.CLOSED)),
        new=Count("pk", distinct=True, filter=Q(status=Incident.Status.REPORTED)),
        overdue_actions=Count(
            "actions", filter=Q(actions__done_at__isnull=True, actions__due_on__lt=today)
        ),
    )
    overdue_actions = incidents["overdue_actions"]
    missing_plans = [scenario for scenario in REPORTABLE_SCENARIOS if scenario not in covered]
    facts: list[str | Promise] = []
    if missing_plans:
        facts.append(
            ngettext(
                "No response plan for %(count)d scenario the Regulations name.",
                "No response plan for %(count)d scenarios the Regulations name.",
                len(missing_plans),
            )
            % {"count": len(missing_plans)}
        )
    if overdue_actions:
        facts.append(
            ngettext(
                "%(count)d corrective action overdue.",
                "%(count)d corrective actions overdue.",
                overdue_actions,
            )
            % {"count": overdue_actions}
        )
    state = MISSING if not covered else (ATTENTION if facts or incidents["open"] else OK)
    return ElementStatus(
        "E5",
        state,
        _("%(plans)d response plans; %(open)d open incident(s).")
        % {"plans": len(covered), "open": incidents["open"]},
        url,
        facts=facts,
        owner=owner,
        known={"incidents_new": incidents["new"], "incident_actions_overdue": overdue_actions},
    )
