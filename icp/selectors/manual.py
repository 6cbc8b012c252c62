"""E9 reads: everything the ICP manual shows, its versions, and whether the latest is stale.

`manual_data` collects the whole programme in a fixed number of queries (about twenty, whatever
the number of positions, risks, plans, courses or members), so generation time grows with the
pages WeasyPrint lays out, not with the app's queries. `programme_changed_at` answers "when did
the programme last change" in one query over the history tables, for the stale badge.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count, DateTimeField, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import capfirst, format_lazy

from accounts.models import Organisation
from audits.models import Audit, AuditStatus, Finding, PlanEntry
from core.models import Job
from icp.models import (
    Attendance,
    ComplianceBody,
    Course,
    DestinationRisk,
    ManualVersion,
    PolicyVersion,
    Position,
    ResponsePlan,
    RiskAssessment,
    RiskFactor,
    SodRule,
    TrainingProfile,
    TrainingSession,
)
from icp.models.policy import PolicyStatus
from icp.selectors.organisation import ChartBody, organisation_chart
from icp.selectors.risk import HeatCell, destination_risk_list, risk_assessment_latest_approved
from icp.selectors.training import Coverage, training_coverage, training_matrix
from records.models import Document, RetentionRule
from records.models.retention import LEGAL_MINIMUM_YEARS
from records.selectors import record_type_name
from records.subjects import document_retention_basis, retention_subjects
from reference.models import AuditQuestion, Element, LegalProvision, RedFlag
from reference.selectors import current_framework
from screening.engine import DEFAULT_THRESHOLD
from screening.models import ScreeningList, ScreeningSettings

MANUAL_JOB_KIND = "icp.manual"

# Regulated records whose history tables date every change (create, edit, delete) of the
# programme content the manual prints.
HISTORY_MODELS = (
    PolicyVersion,
    ComplianceBody,
    Position,
    SodRule,
    RiskAssessment,
    RiskFactor,
    DestinationRisk,
    ResponsePlan,
    Course,
    TrainingSession,
    Attendance,
    TrainingProfile,
    PlanEntry,
    Audit,
    Finding,
)
# Programme settings without history: their own `updated_at` dates the last change.
UPDATED_AT_MODELS = (ScreeningSettings, RetentionRule)


def manual_versions(*, organisation) -> QuerySet[ManualVersion]:
    return (
        ManualVersion.objects.for_organisation(organisation)
        .select_related("requested_by", "policy_version", "organisation")
        .order_by("-number")
    )


def manual_latest(*, organisation) -> ManualVersion | None:
    """The newest manual version of the organisation (any language), or None."""
    return manual_versions(organisation=organisation).first()


def manual_get(*, organisation, pk) -> ManualVersion:
    return manual_versions(organisation=organisation).get(pk=pk)


def manual_jobs_in_progress(*, organisation) -> list[Job]:
    """Manual jobs without an artefact yet: waiting, running, or failed (to retry)."""
    return list(
        Job.objects.filter(organisation=organisation, kind=MANUAL_JOB_KIND)
        .filter(manual_version__isnull=True)
        .exclude(status=Job.Status.SUCCEEDED)
        .select_related("created_by")
        .order_by("-created_at")[:10]
    )


def manual_job_get(*, organisation, job_id) -> Job | None:
    """A manual job of the organisation by id (from the page's address), or None."""
    try:
        return (
            Job.objects.filter(organisation=organisation, kind=MANUAL_JOB_KIND, pk=job_id)
            .select_related("created_by")
            .first()
        )
    except (ValueError, ValidationError):
        return None


@cache
def _history_model(model):
    """`model`'s historical model. Reading `Model.history` builds a new manager class each time
    (django-simple-history's descriptor, about 1.5 ms): the overview asks for a dozen."""
    return model.history.model


def _newest(model, organisation_field: str = "organisation"):
    """Subquery: the newest change time of `model`'s rows of the outer organisation."""
    if model in HISTORY_MODELS:
        rows, date_field = _history_model(model).objects, "history_date"
    else:
        rows, date_field = model.objects, "updated_at"
    return Subquery(
        rows.filter(**{f"{organisation_field}_id": OuterRef("pk")})
        .order_by()
        .values(f"{organisation_field}_id")
        .annotate(newest=Max(date_field))
        .values("newest")[:1],
        output_field=DateTimeField(),
    )


# Marks where the organisation goes in the compiled SQL below; never a real primary key.
_ANY_ORGANISATION = -7_391_204_553


def _programme_changed_query(organisation_pk) -> QuerySet:
    models = HISTORY_MODELS + UPDATED_AT_MODELS
    annotations = {f"m{index}": _newest(model) for index, model in enumerate(models)}
    # Private screening lists count too (the public ones belong to the installation).
    annotations["lists"] = Subquery(
        ScreeningList.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation_id")
        .annotate(newest=Max("created_at"))
        .values("newest")[:1],
        output_field=DateTimeField(),
    )
    # The organisation's own details (name, address, logo) are on the cover.
    annotations["organisation"] = Subquery(
        _history_model(Organisation)
        .objects.filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1],
        output_field=DateTimeField(),
    )
    return Organisation.objects.filter(pk=organisation_pk).values(**annotations)


@cache
def _programme_changed_sql(alias: str) -> tuple[str, tuple, list]:
    """The query of programme_changed_at, compiled once per process: it is the same for every
    organisation but its key, and building its twenty subqueries costs about 10 ms each time
    (the overview and the manual page ask on every view)."""
    compiler = _programme_changed_query(_ANY_ORGANISATION).query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    return sql, tuple(params), [expression for expression, _sql, _alias in compiler.select]


def programme_changed_at(*, organisation) -> datetime.datetime | None:
    """When the programme content last changed (created, edited or deleted), in one query."""
    connection = connections[Organisation.objects.db]
    sql, params, expressions = _programme_changed_sql(connection.alias)
    if _ANY_ORGANISATION not in params:  # defensive: then compile for this organisation
        row = _programme_changed_query(organisation.pk).first() or {}
        values = list(row.values())
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [organisation.pk if p == _ANY_ORGANISATION else p for p in params])
            found = cursor.fetchone()
        values = []
        for value, expression in zip(found or (), expressions, strict=False):
            # The database's own conversions (SQLite stores times as text), as the ORM does.
            for convert in connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection):
                value = convert(value, expression, connection)
            values.append(value)
    times = [value for value in values if value is not None]
    return max(times) if times else None


def manual_is_stale(*, organisation, manual: ManualVersion | None) -> bool:
    """True when the programme changed after the data `manual` reflects (or no manual yet)."""
    if manual is None:
        return True
    changed = programme_changed_at(organisation=organisation)
    return changed is not None and changed > manual.data_as_of


# ---- the manual's content --------------------------------------------------------------------


@dataclass
class RetentionRow:
    record_type: object  # str, or a lazy label printed in the manual's language
    counted_from: object
    years: int
    basis: str | Promise  # the stored note, or the lazy legal basis


@dataclass
class AuditQuestionGroup:
    element: Element
    questions: list = field(default_factory=list)


@dataclass
class ManualData:
    organisation: Organisation
    data_as_of: datetime.datetime
    elements: dict  # code -> Element of the current framework
    policy: PolicyVersion | None
    chart: list[ChartBody]
    positions: list[Position]
    sod_rules: list[SodRule]
    assessment: RiskAssessment | None
    risks: list[RiskFactor]
    heat_inherent: list[list[HeatCell]]
    heat_residual: list[list[HeatCell]]
    destinations: list[DestinationRisk]
    screening_lists: list[ScreeningList]
    screening_threshold: float
    red_flags: list[RedFlag]
    plans: list[ResponsePlan]
    courses: list[Course]
    coverage: list[Coverage]
    members: int
    sessions_last_year: int
    audit_plan: list[PlanEntry]
    last_audit: Audit | None
    last_audit_findings: dict  # severity -> count
    retention: list[RetentionRow]
    audit_questions: list[AuditQuestionGroup]
    provisions: list[LegalProvision]
    revisions: list[ManualVersion]

    @property
    def red_flag_counts(self) -> dict:
        counts: dict[str, int] = {}
        for flag in self.red_flags:
            counts[flag.severity] = counts.get(flag.severity, 0) + 1
        return counts

    @property
    def overall_coverage(self) -> int | None:
        rows = [c for c in self.coverage if c.percent is not None]
        members = sum(c.members for c in rows)
        return round(100 * sum(c.current for c in rows) / members) if members else None


def _heat_map(risks: list[RiskFactor], *, residual: bool) -> list[list[HeatCell]]:
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        key = (
            (risk.residual_likelihood, risk.residual_impact)
            if residual
            else (risk.likelihood, risk.impact)
        )
        counts[key] = counts.get(key, 0) + 1
    return [
        [HeatCell(likelihood=x, impact=y, count=counts.get((x, y), 0)) for x in range(1, 6)]
        for y in range(5, 0, -1)
    ]


_record_type_name = lazy(record_type_name, str)


def _document_type_name(value: str):
    try:
        return Document.Type(value).label
    except ValueError:
        return value


def _retention(organisation) -> list[RetentionRow]:
    """The retention schedule: each regulated record type, how long and from when, with the
    organisation's longer rules applied (the longest applicable rule wins, never below the law)."""
    rules = list(
        RetentionRule.objects.for_organisation(organisation).order_by(
            "subject", "record_type", "document_type"
        )
    )
    rows = []
    for subject in retention_subjects():
        applicable = [
            rule
            for rule in rules
            if rule.subject == RetentionRule.Subject.RECORD
            and rule.record_type in ("", subject.label)
        ]
        best = max(applicable, key=lambda rule: rule.years, default=None)
        years = max(LEGAL_MINIMUM_YEARS, best.years if best else 0)
        rows.append(
            RetentionRow(
                # Lazy: the manual prints them in its own language(s).
                record_type=capfirst(subject.verbose_name),
                counted_from=subject.end_label or "",
                years=years,
                basis=(best.note if best and best.note else subject.legal_basis),
            )
        )
    for rule in rules:
        if rule.subject == RetentionRule.Subject.DOCUMENT:
            # Names, never the stored codes ("icp.incident", "contract"), in the manual's language.
            parts: list[str | Promise] = [RetentionRule.Subject.DOCUMENT.label]
            if rule.record_type:
                parts.append(_record_type_name(rule.record_type))
            if rule.document_type:
                parts.append(_document_type_name(rule.document_type))
            rows.append(
                RetentionRow(
                    record_type=format_lazy(" · ".join("{}" for _part in parts), *parts),
                    counted_from=dict(RetentionRule._meta.get_field("start_event").flatchoices).get(
                        rule.start_event, ""
                    ),
                    years=rule.years,
                    basis=rule.note or document_retention_basis(rule.document_type),
                )
            )
    return rows


def manual_data(*, organisation, today: datetime.date | None = None) -> ManualData:
    """Everything the manual prints, read in a fixed number of queries."""
    data_as_of = timezone.now()
    today = today or timezone.localdate()
    framework = current_framework()
    elements = (
        {e.code: e for e in Element.objects.filter(framework=framework).order_by("order")}
        if framework
        else {}
    )
    policy = (
        PolicyVersion.objects.for_organisation(organisation)
        .filter(status=PolicyStatus.PUBLISHED)
        .select_related("signatory", "approved_by", "published_by")
        .first()
    )
    chart = organisation_chart(organisation=organisation)
    positions = list(
        Position.objects.for_organisation(organisation)
        .filter(is_active=True, body__is_active=True)
        .select_related("body", "holder", "deputy", "reports_to")
        .order_by("body__order", "body__name_zh", "-is_head", "order", "title_zh")
    )
    sod_rules = list(
        SodRule.objects.for_organisation(organisation)
        .filter(is_active=True)
        .select_related("position_a", "position_b")
        .order_by("code")
    )
    assessment = risk_assessment_latest_approved(organisation=organisation)
    risks = (
        list(
            RiskFactor.objects.filter(assessment=assessment).select_related("owner").order_by("key")
        )
        if assessment
        else []
    )
    screening_settings = ScreeningSettings.objects.for_organisation(organisation).first()
    matrix = training_matrix(organisation=organisation, today=today)
    last_audit = (
        Audit.objects.for_organisation(organisation)
        .filter(status=AuditStatus.SIGNED_OFF)
        .select_related("signed_off_by")
        .order_by("-signed_off_at")
        .first()
    )
    questions: dict[int, AuditQuestionGroup] = {}
    for question in (
        AuditQuestion.objects.filter(framework=framework)
        .select_related("element")
        .order_by("element__order", "ref_id")
    ):
        questions.setdefault(
            question.element_id, AuditQuestionGroup(element=question.element)
        ).questions.append(question)
    return ManualData(
        organisation=organisation,
        data_as_of=data_as_of,
        elements=elements,
        policy=policy,
        chart=chart,
        positions=positions,
        sod_rules=sod_rules,
        assessment=assessment,
        risks=risks,
        heat_inherent=_heat_map(risks, residual=False),
        heat_residual=_heat_map(risks, residual=True),
        destinations=list(destination_risk_list(organisation=organisation)),
        screening_lists=list(
            ScreeningList.objects.visible_to(organisation)
            .filter(is_active=True)
            .select_related("current_version")
            .order_by("organisation_id", "code")
        ),
        screening_threshold=(
            screening_settings.threshold if screening_settings else DEFAULT_THRESHOLD
        ),
        red_flags=list(
            RedFlag.objects.filter(framework=framework, merged_into="").order_by("order", "ref_id")
        ),
        plans=list(
            ResponsePlan.objects.for_organisation(organisation)
            .select_related("owner")
            .order_by("scenario", "title_zh")
        ),
        courses=matrix.courses,
        coverage=training_coverage(matrix=matrix),
        members=len(matrix.rows),
        sessions_last_year=TrainingSession.objects.for_organisation(organisation)
        .filter(date__gt=today - datetime.timedelta(days=365), date__lte=today)
        .count(),
        audit_plan=list(
            PlanEntry.objects.for_organisation(organisation)
            .filter(is_active=True)
            .select_related("lead_auditor")
            .order_by("next_start", "pk")
        ),
        last_audit=last_audit,
        last_audit_findings=(
            dict(
                Finding.objects.filter(audit=last_audit)
                .order_by()
                .values_list("severity")
                .annotate(n=Count("pk"))
            )
            if last_audit
            else {}
        ),
        retention=_retention(organisation),
        audit_questions=list(questions.values()),
        provisions=list(
            LegalProvision.objects.filter(framework=framework).order_by("law", "ref_id")
        ),
        revisions=list(manual_versions(organisation=organisation).order_by("number")),
    )
