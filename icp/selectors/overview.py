"""The programme overview: each element's status computed from the organisation's own records,
and the readiness check for a general licence (Dual-Use Regulations 2024, Art. 16).

Nothing here is typed in: a status changes when the data behind it changes. The number of
queries is fixed, whatever the size of the organisation.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.roles import Role
from audits.models import ActionStatus, Audit, AuditStatus, CorrectiveAction, Finding, Severity
from icp.models import (
    REPORTABLE_SCENARIOS,
    ComplianceBody,
    Incident,
    ResponsePlan,
    RiskAssessment,
)
from icp.selectors.manual import manual_is_stale, manual_latest
from icp.selectors.policy import policy_acknowledgement_stats, policy_current
from icp.selectors.training import training_coverage, training_matrix, training_overdue
from records.models import RetentionRule
from screening.models import Party, ScreeningStatus
from trade.models import PartyRole, Transaction, TransactionParty, TransactionState

OK, ATTENTION, MISSING = "ok", "attention", "missing"
ACKNOWLEDGEMENT_TARGET = 90  # percent of active members
TRAINING_TARGET = 90  # percent of members current on every course aimed at them
RISK_ASSESSMENT_VALIDITY = datetime.timedelta(days=365)


@dataclass
class ElementStatus:
    code: str
    state: str
    headline: str | Promise  # a translated sentence, lazy when it has no figures
    url: str
    facts: list[str | Promise] = field(default_factory=list)
    owner: str = ""
    next_due: datetime.date | None = None
    # Figures read for the status that other parts of the overview page show too ("for you"),
    # so that they are not counted twice. Not displayed as such.
    known: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due < timezone.localdate()


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


@dataclass
class ReadinessCheck:
    label: str | Promise
    met: bool
    detail: str
    url: str


def _programme_owner(organisation) -> str:
    """The compliance manager who keeps the programme (the first, when there are several)."""
    membership = (
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.COMPLIANCE_MANAGER)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    return str(membership.user) if membership else ""


def _policy(organisation, owner) -> ElementStatus:
    url = reverse("icp:policy_home")
    policy = policy_current(organisation=organisation)
    if policy is None:
        return ElementStatus("E1", MISSING, _("No published policy statement."), url, owner=owner)
    stats = policy_acknowledgement_stats(organisation=organisation, version=policy)
    overdue = policy.review_due_date is not None and policy.review_due_date < timezone.localdate()
    state = OK if stats.percent >= ACKNOWLEDGEMENT_TARGET and not overdue else ATTENTION
    return ElementStatus(
        "E1",
        state,
        _("Version %(number)s published, acknowledged by %(percent)s%% of staff.")
        % {"number": policy.number, "percent": stats.percent},
        url,
        facts=[
            ngettext(
                "%(count)d person has not acknowledged it yet.",
                "%(count)d people have not acknowledged it yet.",
                stats.outstanding,
            )
            % {"count": stats.outstanding}
        ]
        if stats.outstanding
        else [],
        owner=owner,
        next_due=policy.review_due_date,
    )


def _organisation(organisation, owner) -> ElementStatus:
    url = reverse("icp:organisation_home")
    # One query: the bodies joined to their positions (every position belongs to a body).
    held = Q(positions__holder__isnull=False) | Q(positions__holder_name__gt="")
    positions = ComplianceBody.objects.for_organisation(organisation).aggregate(
        bodies=Count("pk", distinct=True, filter=Q(is_active=True)),
        total=Count("positions"),
        vacant=Count(
            "positions", filter=Q(positions__holder__isnull=True, positions__holder_name="")
        ),
        stop=Count("positions", filter=Q(positions__may_stop_exports=True) & held),
    )
    bodies = positions["bodies"]
    if not bodies and not positions["total"]:
        return ElementStatus(
            "E2", MISSING, _("No compliance organisation recorded."), url, owner=owner
        )
    facts: list[str | Promise] = []
    if positions["vacant"]:
        facts.append(
            ngettext(
                "%(count)d position without a holder.",
                "%(count)d positions without a holder.",
                positions["vacant"],
            )
            % {"count": positions["vacant"]}
        )
    if not positions["stop"]:
        facts.append(_("Nobody is authorised to stop an export."))
    return ElementStatus(
        "E2",
        ATTENTION if facts else OK,
        _("%(bodies)d compliance bodies, %(positions)d positions.")
        % {"bodies": bodies, "positions": positions["total"]},
        url,
        facts=facts,
        owner=owner,
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
    facts: list[str | Promise] = [f"{label}: {percent}%" for label, percent in coverage]
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
    next_due = (signed_off_at + datetime.timedelta(days=365)).date()
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
        % {"reference": latest.reference, "date": signed_off_at.date().isoformat()},
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


def _manual(organisation, owner) -> ElementStatus:
    url = reverse("icp:manual_home")
    latest = manual_latest(organisation=organisation)
    if latest is None:
        return ElementStatus("E9", MISSING, _("No ICP manual generated."), url, owner=owner)
    stale = manual_is_stale(organisation=organisation, manual=latest)
    return ElementStatus(
        "E9",
        ATTENTION if stale else OK,
        _("Version %(number)s of %(date)s.")
        % {"number": latest.number, "date": latest.created_at.date().isoformat()},
        url,
        facts=[_("The programme changed since: generate a new version.")] if stale else [],
        owner=owner,
    )


def programme_overview(*, organisation) -> list[ElementStatus]:
    owner = _programme_owner(organisation)
    return [
        _policy(organisation, owner),
        _organisation(organisation, owner),
        _risk(organisation, owner),
        _transaction_review(organisation, owner),
        _emergency(organisation, owner),
        _training(organisation, owner),
        _audits(organisation),
        _records(organisation, owner),
        _manual(organisation, owner),
    ]


_READINESS = [
    ("E1", _("A compliance policy statement is published and acknowledged")),
    ("E2", _("A compliance organisation with the authority to stop exports")),
    ("E3", _("A risk assessment approved in the last 12 months")),
    ("E4", _("Every party screened and every potential match decided")),
    ("E5", _("Response plans for the scenarios the Regulations name")),
    ("E6", _("Staff trained and current")),
    ("E7", _("A compliance audit with its findings followed up")),
    ("E8", _("Records kept for at least five years")),
    ("E9", _("A written ICP manual")),
]


# REGS Art. 16(2) asks for "relatively stable" channels and end users without a figure; the
# company's rule: at least half of the shipments of the last two years went to end users it
# supplied more than once.
STABLE_WINDOW_DAYS = 730
STABLE_SHARE = 0.5


def shipped_links(*, organisation, today: datetime.date | None = None) -> list[tuple]:
    """(transaction id, role, party id) of the buyers and end users of the approved exports
    shipped in the last two years: what the stability of channels and of end users is read
    from. One query."""
    today = today or timezone.localdate()
    shipped = Transaction.objects.for_organisation(organisation).filter(_shipped_recent_q(today))
    return list(
        TransactionParty.objects.filter(
            transaction__in=shipped, role__in=[PartyRole.BUYER, PartyRole.END_USER]
        )
        .order_by()
        .values_list("transaction_id", "role", "party_id")
    )


def general_licence_conditions(
    *,
    organisation,
    today: datetime.date | None = None,
    shipped_total: int | None = None,
    links: list[tuple] | None = None,
) -> list[ReadinessCheck]:
    """The conditions of REGS Art. 16(2) besides the ICP itself, read from the transactions: a
    record of dual-use exports, and relatively stable end users. Two queries, none when the
    number shipped (the overview's E4 status counts it) and the links are given."""
    today = today or timezone.localdate()
    if shipped_total is None:
        shipped_total = (
            Transaction.objects.for_organisation(organisation)
            .filter(_shipped_recent_q(today))
            .count()
        )
    total = shipped_total
    if links is None:
        links = shipped_links(organisation=organisation, today=today)
    per_end_user: dict[int, set] = {}
    for transaction_id, role, party_id in links:
        if role == PartyRole.END_USER:
            per_end_user.setdefault(party_id, set()).add(transaction_id)
    repeat = {party for party, transactions in per_end_user.items() if len(transactions) > 1}
    to_repeat = {t for party in repeat for t in per_end_user[party]}
    share = round(100 * len(to_repeat) / total) if total else 0
    url = reverse("transactions:queue")
    return [
        ReadinessCheck(
            label=gettext("A record of dual-use exports (Regulations on dual-use items, Art. 16)"),
            met=total > 0,
            detail=ngettext(
                "%(count)d approved export shipped in the last two years.",
                "%(count)d approved exports shipped in the last two years.",
                total,
            )
            % {"count": total},
            url=url,
        ),
        ReadinessCheck(
            label=gettext("Relatively stable end users (Regulations on dual-use items, Art. 16)"),
            met=total > 0 and share >= 100 * STABLE_SHARE,
            detail=gettext(
                "%(repeat)d of %(end_users)d end users were supplied more than once; they "
                "received %(share)d%% of the shipments of the last two years (company rule: at "
                "least half)."
            )
            % {"repeat": len(repeat), "end_users": len(per_end_user), "share": share},
            url=url,
        ),
    ]


def general_licence_readiness(*, statuses: list[ElementStatus]) -> list[ReadinessCheck]:
    """What MOFCOM expects of an ICP that "is established and runs well" (REGS Art. 16), element
    by element: met only when the element's status is fully in order."""
    by_code = {status.code: status for status in statuses}
    return [
        ReadinessCheck(
            label=label,
            met=by_code[code].state == OK,
            detail=" ".join([str(by_code[code].headline), *map(str, by_code[code].facts)]),
            url=by_code[code].url,
        )
        for code, label in _READINESS
    ]
