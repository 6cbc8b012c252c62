"""Reads for the general-licence application pack (《两用物项出口管制条例》第十六条第二款):
the figures of one period, taken from the records the programme already keeps."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum

from audits.models import Audit, CorrectiveAction, Finding
from core.models import Job
from icp.models import ComplianceBody, Incident, RiskAssessment
from icp.selectors.policy import policy_acknowledgement_stats, policy_current
from icp.selectors.training import training_coverage, training_matrix
from screening.models import Screening, ScreeningHit
from trade.models import Licence, LicenceDrawdown, Transaction, TransactionParty
from trade.models.transaction import PartyRole, TransactionState

LICENCE_PACK_JOB_KIND = "icp.licence_pack"


@dataclass
class PackFigures:
    start: datetime.date
    end: datetime.date
    policy_version: str = ""
    acknowledged: int = 0
    members: int = 0
    bodies: list = field(default_factory=list)
    assessments: int = 0
    transactions: int = 0
    approved: int = 0
    rejected: int = 0
    on_hold: int = 0
    screenings: int = 0
    hits: int = 0
    coverage: list = field(default_factory=list)
    audits: int = 0
    findings: int = 0
    actions: int = 0
    actions_closed: int = 0
    incidents: int = 0
    incidents_reported: int = 0
    licences: list = field(default_factory=list)
    drawdowns: int = 0
    drawdown_quantity: object = 0
    expiring: list = field(default_factory=list)
    destinations: list = field(default_factory=list)  # (country, count)
    end_users: list = field(default_factory=list)  # (name, country, count)
    end_uses: list = field(default_factory=list)  # (end use, count)


def _in_period(field_name: str, start, end) -> Q:
    return Q(**{f"{field_name}__date__gte": start, f"{field_name}__date__lte": end})


def licence_pack_figures(*, organisation, start, end) -> PackFigures:
    """Every figure the three descriptions quote, for the period from `start` to `end`."""
    figures = PackFigures(start=start, end=end)
    policy = policy_current(organisation=organisation)
    stats = policy_acknowledgement_stats(organisation=organisation, version=policy)
    figures.policy_version = str(policy.number) if policy is not None else ""
    figures.acknowledged, figures.members = stats.acknowledged, stats.total
    figures.bodies = list(ComplianceBody.objects.filter(organisation=organisation))
    figures.assessments = RiskAssessment.objects.filter(
        organisation=organisation, assessment_date__range=(start, end)
    ).count()
    transactions = Transaction.objects.filter(organisation=organisation).filter(
        _in_period("created_at", start, end)
    )
    counts = transactions.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(state=TransactionState.APPROVED)),
        rejected=Count("pk", filter=Q(state=TransactionState.REJECTED)),
        on_hold=Count("pk", filter=Q(state=TransactionState.ON_HOLD)),
    )
    figures.transactions = counts["total"]
    figures.approved, figures.rejected = counts["approved"], counts["rejected"]
    figures.on_hold = counts["on_hold"]
    screenings = Screening.objects.filter(organisation=organisation).filter(
        _in_period("created_at", start, end)
    )
    figures.screenings = screenings.count()
    figures.hits = ScreeningHit.objects.filter(screening__in=screenings).count()
    figures.coverage = training_coverage(matrix=training_matrix(organisation=organisation))
    audits = Audit.objects.filter(organisation=organisation, planned_start__range=(start, end))
    figures.audits = audits.count()
    figures.findings = Finding.objects.filter(audit__in=audits).count()
    actions = CorrectiveAction.objects.filter(organisation=organisation).filter(
        _in_period("created_at", start, end)
    )
    figures.actions = actions.count()
    figures.actions_closed = actions.filter(status="verified").count()
    incidents = Incident.objects.filter(organisation=organisation).filter(
        _in_period("reported_at", start, end)
    )
    figures.incidents = incidents.count()
    figures.incidents_reported = incidents.filter(mofcom_reported_on__isnull=False).count()
    # Licence register: the licences valid at some point of the period.
    licences = (
        Licence.objects.filter(
            organisation=organisation, valid_from__lte=end, valid_until__gte=start
        )
        .annotate(
            used=Sum("drawdowns__quantity", filter=Q(drawdowns__released_at__isnull=True)),
            uses=Count("drawdowns", filter=Q(drawdowns__released_at__isnull=True)),
        )
        .order_by("valid_from", "number")
    )
    figures.licences = list(licences)
    drawdowns = LicenceDrawdown.objects.filter(
        organisation=organisation, released_at__isnull=True, licence__in=licences
    )
    figures.drawdowns = drawdowns.count()
    figures.drawdown_quantity = drawdowns.aggregate(total=Sum("quantity"))["total"] or 0
    figures.expiring = [licence for licence in figures.licences if licence.valid_until <= end]
    # Channels and end users: the approved transactions of the period.
    shipped = transactions.filter(state=TransactionState.APPROVED)
    figures.destinations = Counter(
        shipped.values_list("destination_country", flat=True)
    ).most_common()
    parties = TransactionParty.objects.filter(
        transaction__in=shipped, role=PartyRole.END_USER
    ).values_list("party__name", "party__country")
    figures.end_users = [
        (name, country, count) for (name, country), count in Counter(parties).most_common(10)
    ]
    figures.end_uses = Counter(
        " ".join(use.split()) for use in shipped.values_list("end_use", flat=True)
    ).most_common(10)
    return figures


def licence_pack_jobs(*, organisation) -> list[Job]:
    return list(
        Job.objects.filter(organisation=organisation, kind=LICENCE_PACK_JOB_KIND)
        .select_related("created_by")
        .order_by("-created_at")[:20]
    )


def licence_pack_job_get(*, organisation, job_id) -> Job | None:
    try:
        return Job.objects.filter(
            organisation=organisation, kind=LICENCE_PACK_JOB_KIND, pk=job_id
        ).first()
    except (ValueError, ValidationError):
        return None
