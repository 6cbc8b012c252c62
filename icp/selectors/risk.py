"""E3 reads: assessments, registers, the heat map, comparison and destination risk."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from icp.models import Course, DestinationRisk, DestinationRiskLevel, RiskAssessment, RiskFactor
from icp.models.risk import BAND_CSS, DestinationScope, RiskBand, risk_band
from icp.services.risk import RegisterComparison, risk_register_compare
from trade.hooks import DestinationRiskFact, DestinationRisks


def risk_assessment_list(*, organisation) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.for_organisation(organisation)
        .select_related("assessor", "approved_by", "previous")
        .annotate(risk_count=Count("risks"))
        .order_by("-assessment_date", "-pk")
    )


def risk_assessment_latest_approved(*, organisation) -> RiskAssessment | None:
    """The assessment in force: the most recent approved one (for the programme overview)."""
    return (
        RiskAssessment.objects.for_organisation(organisation)
        .filter(status=RiskAssessment.Status.APPROVED)
        .select_related("approved_by", "assessor")
        .order_by("-assessment_date", "-approved_at")
        .first()
    )


def risk_register(*, assessment: RiskAssessment) -> QuerySet[RiskFactor]:
    """The register with everything a table row shows, in a fixed number of queries."""
    return (
        RiskFactor.objects.for_organisation(assessment.organisation)
        .filter(assessment=assessment)
        .select_related("owner")
        .prefetch_related(Prefetch("courses", queryset=Course.objects.order_by("topic_zh")))
        .order_by("key")
    )


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    count: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> RiskBand:
        return risk_band(self.score)

    @property
    def css(self) -> str:
        return BAND_CSS[self.band]


def risk_heat_map(*, assessment: RiskAssessment, residual: bool = False) -> list[list[HeatCell]]:
    """5x5 counts of risks by likelihood (columns 1..5) and impact (rows 5..1, highest first),
    from one grouped query."""
    likelihood, impact = (
        ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    )
    counts = {
        (row[likelihood], row[impact]): row["n"]
        for row in RiskFactor.objects.filter(assessment=assessment)
        .values(likelihood, impact)
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        [HeatCell(likelihood=x, impact=y, count=counts.get((x, y), 0)) for x in range(1, 6)]
        for y in range(5, 0, -1)
    ]


def risk_assessment_previous(*, assessment: RiskAssessment) -> RiskAssessment | None:
    """What to compare with: the assessment it was copied from, else the latest earlier one."""
    if assessment.previous_id:
        return assessment.previous
    return (
        RiskAssessment.objects.for_organisation(assessment.organisation)
        .filter(
            Q(assessment_date__lt=assessment.assessment_date)
            | Q(assessment_date=assessment.assessment_date, pk__lt=assessment.pk)
        )
        .order_by("-assessment_date", "-pk")
        .first()
    )


def risk_assessment_compare(
    *, assessment: RiskAssessment, previous: RiskAssessment
) -> RegisterComparison:
    return risk_register_compare(
        current=list(risk_register(assessment=assessment)),
        previous=list(risk_register(assessment=previous)),
    )


def destination_risk_for(*, organisation, country: str) -> DestinationRisk | None:
    """The destination risk that applies to `country` (ISO 3166 alpha-2) for this organisation:
    its own row when it has one, else the reference row in force, else None."""
    code = (country or "").upper()
    if not code:
        return None
    rows = {
        row.organisation_id: row
        for row in DestinationRisk.objects.visible_to(organisation).filter(
            country=code, is_active=True
        )
    }
    return rows.get(organisation.pk) or rows.get(None)


def destination_risk_list(*, organisation) -> QuerySet[DestinationRisk]:
    """Every row in force that applies to the organisation: its own rows, plus the reference rows
    for the countries it has not overridden; the most severe level first."""
    own_countries = DestinationRisk.objects.for_organisation(organisation).values("country")
    return (
        DestinationRisk.objects.filter(is_active=True)
        .filter(
            Q(organisation=organisation)
            | Q(organisation__isnull=True) & ~Q(country__in=own_countries)
        )
        .alias(
            severity=Case(
                When(level=DestinationRiskLevel.EMBARGO, then=Value(0)),
                When(level=DestinationRiskLevel.HIGH, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("severity", "country")
    )


def _fact(risk: DestinationRisk) -> DestinationRiskFact:
    return DestinationRiskFact(country=risk.country.code, level=risk.level)


def destination_risks_for_review(*, organisation, countries: Iterable[str]) -> DestinationRisks:
    """What transaction review reads of the register (trade.hooks, registered in apps.py): the
    risk in force for each of `countries`, and every country's ban on military users and uses
    (such a ban follows the party, not the route)."""
    by_country = {}
    for code in countries:
        risk = destination_risk_for(organisation=organisation, country=code)
        if risk is not None:
            by_country[code] = _fact(risk)
    military_bans = {
        row.country.code: _fact(row)
        for row in destination_risk_list(organisation=organisation).filter(
            scope=DestinationScope.MILITARY_END_USE
        )
    }
    return DestinationRisks(by_country=by_country, military_bans=military_bans)


def destination_risk_split(*, organisation) -> tuple[list, list]:
    """The rows in force, split into PRC legal restrictions (UN embargoes as MOFCOM implements
    them, China's own measures: cited first) and the foreign-law risk annex."""
    rows = list(destination_risk_list(organisation=organisation))
    return (
        [row for row in rows if not row.is_foreign_law_risk],
        [row for row in rows if row.is_foreign_law_risk],
    )


def destination_risk_overridden(*, organisation) -> dict[str, DestinationRisk]:
    """Reference rows the organisation has overridden, by country code (to show what changed)."""
    own_countries = DestinationRisk.objects.for_organisation(organisation).values("country")
    return {
        row.country.code: row
        for row in DestinationRisk.objects.reference().filter(country__in=own_countries)
    }


# --- one record of the organisation, 404 for another organisation's -----------------------------


def risk_assessment_get(*, organisation, pk) -> RiskAssessment:
    return get_object_or_404(
        RiskAssessment.objects.for_organisation(organisation).select_related(
            "assessor", "approved_by", "previous"
        ),
        pk=pk,
    )


def risk_assessment_others(*, organisation, assessment: RiskAssessment) -> QuerySet[RiskAssessment]:
    """The organisation's other assessments, to compare `assessment` with, newest first."""
    return (
        RiskAssessment.objects.for_organisation(organisation)
        .exclude(pk=assessment.pk)
        .order_by("-assessment_date")
    )


def risk_get(*, organisation, pk) -> RiskFactor:
    return get_object_or_404(
        RiskFactor.objects.for_organisation(organisation).select_related("assessment", "owner"),
        pk=pk,
    )


def risk_count(*, assessment: RiskAssessment) -> int:
    return RiskFactor.objects.filter(assessment=assessment).count()


def risk_history(*, organisation, key: str) -> QuerySet[RiskFactor]:
    """The risk `key` in each of the organisation's assessments, newest first."""
    return (
        RiskFactor.objects.for_organisation(organisation)
        .filter(key=key)
        .select_related("assessment")
        .order_by("-assessment__assessment_date")
    )


def destination_risk_get(*, organisation, pk) -> DestinationRisk:
    """A destination risk row the organisation sees (its own or a reference row), 404 otherwise."""
    return get_object_or_404(DestinationRisk.objects.visible_to(organisation), pk=pk)


def destination_risk_own_get(*, organisation, pk) -> DestinationRisk:
    """One of the organisation's own destination risk rows, 404 otherwise."""
    return get_object_or_404(DestinationRisk.objects.for_organisation(organisation), pk=pk)


def destination_risk_reference(*, country: str) -> DestinationRisk | None:
    """The reference row for `country` (ISO 3166 alpha-2), None when there is none."""
    return DestinationRisk.objects.reference().filter(country=country).first()
