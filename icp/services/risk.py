"""E3 risk assessment: the rules for assessments and their registers.

A draft assessment can be edited by the compliance manager; management approves it; an approved
assessment and its register are frozen (every write below refuses them). The next assessment
starts as a copy of a previous one, keeping each risk's stable key, so the two can be compared.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.permissions import require_role
from accounts.roles import Role
from core.i18n import joined
from icp.models import Course, RiskAssessment, RiskFactor

ASSESSMENT_FIELDS = (
    "title",
    "assessment_date",
    "period_start",
    "period_end",
    "scope_zh",
    "scope_en",
    "conclusion_zh",
    "conclusion_en",
    "assessor",
)
RISK_FIELDS = (
    "category",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "mitigation_zh",
    "mitigation_en",
    "controls",
    "owner",
    "review_date",
)
# What the comparison looks at (besides the linked courses).
COMPARED_FIELDS = RISK_FIELDS
_KEY_NUMBER = re.compile(r"^R-(\d+)$")


def _ensure_draft(assessment: RiskAssessment) -> None:
    if assessment.is_frozen:
        raise ValidationError(
            _(
                "This risk assessment is approved and can no longer be changed. "
                "Start the next one from it."
            )
        )


def _ensure_member(*, organisation, user, label: str) -> None:
    if user is None:
        return
    if not Membership.objects.active().filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("%(label)s must be a member of this organisation.") % {"label": label}
        )


def _ensure_courses(*, organisation, courses) -> list[Course]:
    courses = list(courses or [])
    if any(course.organisation_id != organisation.pk for course in courses):
        raise ValidationError(_("A linked course belongs to another organisation."))
    return courses


@transaction.atomic
def risk_assessment_create(*, organisation, user, **values) -> RiskAssessment:
    """Start an empty draft assessment; the assessor defaults to the user creating it."""
    values.setdefault("assessor", user)
    assessment = RiskAssessment(
        organisation=organisation, **{k: v for k, v in values.items() if k in ASSESSMENT_FIELDS}
    )
    _ensure_member(organisation=organisation, user=assessment.assessor, label=_("The assessor"))
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def risk_assessment_update(*, assessment: RiskAssessment, user, **values) -> RiskAssessment:
    assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_draft(assessment)
    for name, value in values.items():
        if name in ASSESSMENT_FIELDS:
            setattr(assessment, name, value)
    _ensure_member(
        organisation=assessment.organisation, user=assessment.assessor, label=_("The assessor")
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def risk_assessment_approve(*, assessment: RiskAssessment, user, note: str = "") -> RiskAssessment:
    """Management approves a complete draft; afterwards it is frozen. Approving twice fails."""
    assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_draft(assessment)
    try:
        require_role(organisation=assessment.organisation, user=user, roles={Role.MANAGEMENT})
    except PermissionDenied as exc:
        # A broken rule of the approval, as the form shows it, rather than a refused request.
        raise ValidationError(_("Only a management member can approve a risk assessment.")) from exc
    if assessment.assessor_id == user.pk:
        raise ValidationError(_("The assessor cannot approve their own risk assessment."))
    risks = list(assessment.risks.all())
    if not risks:
        raise ValidationError(_("A risk assessment without any risk cannot be approved."))
    incomplete = [risk.key for risk in risks if risk.owner_id is None or risk.review_date is None]
    if incomplete:
        raise ValidationError(
            _("Every risk needs an owner and a review date before approval: %(keys)s.")
            % {"keys": joined(incomplete)}
        )
    assessment.status = RiskAssessment.Status.APPROVED
    assessment.approved_by = user
    assessment.approved_at = timezone.now()
    assessment.approval_note = note
    assessment.save()
    return assessment


def _next_key(organisation) -> str:
    """R-001, R-002 ...: one sequence per organisation, never reused, so a closed risk's key
    does not come back as a different risk later."""
    keys = set(RiskFactor.objects.for_organisation(organisation).values_list("key", flat=True))
    # Keys of risks removed from a draft are in the history only.
    keys |= set(RiskFactor.history.filter(organisation=organisation).values_list("key", flat=True))
    numbers = [int(match.group(1)) for key in keys if (match := _KEY_NUMBER.match(key))]
    return f"R-{max(numbers, default=0) + 1:03d}"


def _clean_risk(risk: RiskFactor) -> None:
    if not (risk.title_zh or risk.title_en):
        raise ValidationError({"title_zh": _("Name the risk in Chinese or English.")})
    risk.full_clean()


@transaction.atomic
def risk_factor_create(*, assessment: RiskAssessment, user, courses=(), **values) -> RiskFactor:
    """Add a risk to a draft register under a new stable key."""
    assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_draft(assessment)
    organisation = assessment.organisation
    risk = RiskFactor(
        organisation=organisation,
        assessment=assessment,
        key=_next_key(organisation),
        **{k: v for k, v in values.items() if k in RISK_FIELDS},
    )
    _ensure_member(organisation=organisation, user=risk.owner, label=_("The owner"))
    courses = _ensure_courses(organisation=organisation, courses=courses)
    _clean_risk(risk)
    risk.save()
    risk.courses.set(courses)
    return risk


@transaction.atomic
def risk_factor_update(*, risk: RiskFactor, user, courses=None, **values) -> RiskFactor:
    risk = RiskFactor.objects.select_related("assessment").get(pk=risk.pk)
    _ensure_draft(risk.assessment)
    for name, value in values.items():
        if name in RISK_FIELDS:
            setattr(risk, name, value)
    _ensure_member(organisation=risk.organisation, user=risk.owner, label=_("The owner"))
    _clean_risk(risk)
    risk.save()
    if courses is not None:
        risk.courses.set(_ensure_courses(organisation=risk.organisation, courses=courses))
    return risk


@transaction.atomic
def risk_factor_delete(*, risk: RiskFactor, user) -> None:
    """Remove a risk from a draft register (it shows as closed against the previous
    assessment). Approved registers keep every risk."""
    risk = RiskFactor.objects.select_related("assessment").get(pk=risk.pk)
    _ensure_draft(risk.assessment)
    risk.delete()


@transaction.atomic
def risk_assessment_copy_forward(
    *,
    source: RiskAssessment,
    user,
    title: str,
    assessment_date: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
) -> RiskAssessment:
    """Start the next assessment as a draft copy of `source`: every risk keeps its key, scores,
    mitigations, linked courses and owner; the new draft records what it was copied from."""
    assessment = risk_assessment_create(
        organisation=source.organisation,
        user=user,
        title=title,
        assessment_date=assessment_date,
        period_start=period_start,
        period_end=period_end,
        scope_zh=source.scope_zh,
        scope_en=source.scope_en,
    )
    assessment.previous = source
    assessment.save(update_fields=["previous"])
    # One by one (not bulk_create), so every copy starts its own change history.
    for risk in source.risks.prefetch_related("courses").order_by("key"):
        copy = RiskFactor.objects.create(
            organisation=source.organisation,
            assessment=assessment,
            key=risk.key,
            **{name: getattr(risk, name) for name in RISK_FIELDS},
        )
        copy.courses.set(risk.courses.all())
    return assessment


@dataclass
class RiskChange:
    key: str
    current: RiskFactor
    previous: RiskFactor
    fields: list[str] = field(default_factory=list)  # verbose names of the changed fields

    @property
    def inherent_delta(self) -> int:
        return self.current.inherent_score - self.previous.inherent_score

    @property
    def residual_delta(self) -> int:
        return self.current.residual_score - self.previous.residual_score


@dataclass
class RegisterComparison:
    new: list[RiskFactor]
    changed: list[RiskChange]
    closed: list[RiskFactor]
    unchanged: list[RiskFactor]

    @property
    def has_differences(self) -> bool:
        return bool(self.new or self.changed or self.closed)


def _field(name: str) -> models.Field:
    field = RiskFactor._meta.get_field(name)
    assert isinstance(field, models.Field)  # COMPARED_FIELDS are concrete fields
    return field


def _raw(risk: RiskFactor, name: str):
    # Foreign keys compare by id, so a comparison needs no query per risk.
    return getattr(risk, _field(name).attname)


def risk_register_compare(
    *, current: list[RiskFactor], previous: list[RiskFactor]
) -> RegisterComparison:
    """Compare two registers risk by risk on their stable keys: new (only in the current one),
    closed (only in the previous one) and changed, naming the fields that differ. The risks'
    courses must be prefetched."""
    before = {risk.key: risk for risk in previous}
    after = {risk.key: risk for risk in current}
    comparison = RegisterComparison(new=[], changed=[], closed=[], unchanged=[])
    for key in sorted(after):
        risk = after[key]
        old = before.get(key)
        if old is None:
            comparison.new.append(risk)
            continue
        changed = [
            str(_field(name).verbose_name)
            for name in COMPARED_FIELDS
            if _raw(risk, name) != _raw(old, name)
        ]
        if {c.pk for c in risk.courses.all()} != {c.pk for c in old.courses.all()}:
            changed.append(str(RiskFactor._meta.get_field("courses").verbose_name))
        if changed:
            comparison.changed.append(
                RiskChange(key=key, current=risk, previous=old, fields=changed)
            )
        else:
            comparison.unchanged.append(risk)
    comparison.closed = [before[key] for key in sorted(set(before) - set(after))]
    return comparison
