"""Audits and the annual plan: create, plan recurring audits, sign off (freeze), addenda."""

import datetime
import secrets

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership, User
from accounts.roles import Role

from ..models import (
    RECURRENCE_MONTHS,
    Audit,
    AuditAddendum,
    AuditFrozenError,
    AuditPlan,
    AuditStatus,
    AuditType,
    ChecklistTemplate,
    PlanEntry,
    Recurrence,
)
from .templates import template_standard_ensure

ELEMENT_CODES = [f"E{n}" for n in range(1, 10)]
TYPE_PREFIX: dict[str, str] = {
    AuditType.INTERNAL: "IA",
    AuditType.THIRD_PARTY: "TA",
    AuditType.MOFCOM_READINESS: "MR",
}


def auditors_of(organisation):
    """Active members with the auditor role: who may lead or join an audit."""
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__role=Role.AUDITOR,
        memberships__is_active=True,
        is_active=True,
    ).order_by("full_name", "email")


def _check_auditors(organisation, users) -> None:
    ids = {user.pk for user in users}
    found = set(
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.AUDITOR, user_id__in=ids)
        .values_list("user_id", flat=True)
    )
    if ids - found:
        raise ValidationError(
            _("The lead auditor and the team must be auditors of the organisation.")
        )


def _check_elements(elements) -> list[str]:
    elements = sorted(set(elements), key=ELEMENT_CODES.index) if elements else []
    if not elements or any(code not in ELEMENT_CODES for code in elements):
        raise ValidationError(_("Choose at least one of the nine elements."))
    return elements


def _next_reference(organisation, audit_type: str, year: int) -> str:
    prefix = f"{TYPE_PREFIX[audit_type]}-{year}-"
    taken = set(
        Audit.objects.for_organisation(organisation)
        .filter(reference__startswith=prefix)
        .values_list("reference", flat=True)
    )
    number = 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


@transaction.atomic
def audit_create(
    *,
    organisation,
    user,
    title_zh: str,
    title_en: str = "",
    audit_type: str = AuditType.INTERNAL,
    elements,
    period_start: datetime.date,
    period_end: datetime.date,
    planned_start: datetime.date,
    planned_end: datetime.date,
    lead_auditor,
    team=(),
    template: ChecklistTemplate | None = None,
    sample_size: int = 20,
    plan_entry: PlanEntry | None = None,
    reference: str = "",
    sample_seed: int | None = None,
) -> Audit:
    """Create a planned audit. The sample seed is drawn here, once, so the sample is fixed."""
    elements = _check_elements(elements)
    if period_end < period_start:
        raise ValidationError(_("The period must end after it starts."))
    if planned_end < planned_start:
        raise ValidationError(_("The planned end must be after the planned start."))
    team = [member for member in team if member.pk != lead_auditor.pk]
    _check_auditors(organisation, [lead_auditor, *team])
    template = template or template_standard_ensure()
    if template.organisation_id not in (None, organisation.pk):
        raise ValidationError(_("This template belongs to another organisation."))
    previous = (
        Audit.objects.for_organisation(organisation)
        .filter(status=AuditStatus.SIGNED_OFF, period_end__lt=period_end)
        .order_by("-period_end", "-signed_off_at")
        .first()
    )
    audit = Audit.objects.create(
        organisation=organisation,
        reference=reference or _next_reference(organisation, audit_type, planned_start.year),
        title_zh=title_zh,
        title_en=title_en,
        audit_type=audit_type,
        elements=elements,
        period_start=period_start,
        period_end=period_end,
        planned_start=planned_start,
        planned_end=planned_end,
        lead_auditor=lead_auditor,
        template=template,
        sample_size=sample_size,
        sample_seed=sample_seed if sample_seed is not None else secrets.randbits(62),
        plan_entry=plan_entry,
        previous=previous,
        created_by=user,
    )
    audit.team.set(team)
    return audit


@transaction.atomic
def audit_update(*, audit: Audit, user, team=None, **values) -> Audit:
    """Change an audit's plan before sign-off. Scope and period can change only until the
    checklist is generated (the sample depends on them)."""
    if audit.is_signed_off:
        raise AuditFrozenError
    frozen_after_generation = {"elements", "period_start", "period_end", "template"}
    if audit.generated_at and any(
        getattr(audit, field) != value
        for field, value in values.items()
        if field in frozen_after_generation
    ):
        raise ValidationError(
            _("Scope, period and template are fixed once the checklist has been generated.")
        )
    if "elements" in values:
        values["elements"] = _check_elements(values["elements"])
    for field, value in values.items():
        setattr(audit, field, value)
    if audit.period_end < audit.period_start or audit.planned_end < audit.planned_start:
        raise ValidationError(_("Check the dates: an end is before its start."))
    if team is not None:
        team = [member for member in team if member.pk != audit.lead_auditor_id]
        _check_auditors(audit.organisation, [audit.lead_auditor, *team])
    else:
        _check_auditors(audit.organisation, [audit.lead_auditor])
    audit.save()
    if team is not None:
        audit.team.set(team)
    return audit


@transaction.atomic
def audit_sign_off(*, audit: Audit, user, summary: str = "") -> Audit:
    """The lead auditor signs off: every item answered, then the audit is frozen for good."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.is_signed_off:
        raise AuditFrozenError
    if user.pk != audit.lead_auditor_id:
        raise ValidationError(_("Only the lead auditor signs off the audit."))
    if audit.generated_at is None:
        raise ValidationError(_("Generate the checklist first."))
    unanswered = audit.items.filter(answer="", withdrawn=False).count()
    if unanswered:
        raise ValidationError(
            ngettext(
                "%(count)d checklist item is not answered yet.",
                "%(count)d checklist items are not answered yet.",
                unanswered,
            )
            % {"count": unanswered}
        )
    conflicts = audit.items.filter(independence_conflict=True, answered_by__isnull=True).count()
    if conflicts:
        raise ValidationError(_("Some items still have no independent auditor."))
    audit.summary = summary or audit.summary
    audit.status = AuditStatus.SIGNED_OFF
    audit.signed_off_by = user
    audit.signed_off_at = timezone.now()
    audit.save()
    return audit


def addendum_add(*, audit: Audit, user, text: str) -> AuditAddendum:
    """A correction to a signed-off audit: the audit itself stays as signed."""
    if not audit.is_signed_off:
        raise ValidationError(_("Before sign-off, correct the audit itself."))
    if not text.strip():
        raise ValidationError(_("Write the addendum."))
    return AuditAddendum.objects.create(
        organisation=audit.organisation, audit=audit, text=text.strip(), author=user
    )


def plan_get_or_create(*, organisation, user, year: int) -> AuditPlan:
    plan, _created = AuditPlan.objects.get_or_create(
        organisation=organisation, year=year, defaults={"created_by": user}
    )
    return plan


def plan_entry_create(
    *,
    organisation,
    user,
    year: int,
    title_zh: str,
    title_en: str = "",
    audit_type: str = AuditType.INTERNAL,
    elements,
    recurrence: str = Recurrence.YEARLY,
    next_start: datetime.date,
    duration_days: int = 14,
    period_months: int = 12,
    lead_auditor=None,
) -> PlanEntry:
    elements = _check_elements(elements)
    if lead_auditor is not None:
        _check_auditors(organisation, [lead_auditor])
    plan = plan_get_or_create(organisation=organisation, user=user, year=year)
    return PlanEntry.objects.create(
        organisation=organisation,
        plan=plan,
        title_zh=title_zh,
        title_en=title_en,
        audit_type=audit_type,
        elements=elements,
        recurrence=recurrence,
        next_start=next_start,
        duration_days=duration_days,
        period_months=period_months,
        lead_auditor=lead_auditor,
    )


@transaction.atomic
def plan_entry_start(*, entry: PlanEntry, user, lead_auditor=None) -> Audit:
    """Create the audit of the entry's next occurrence and move the entry on by its recurrence
    (into next year's plan when it crosses the year); a one-off entry becomes inactive."""
    entry = PlanEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_active:
        raise ValidationError(_("This plan entry has no further occurrence."))
    lead = lead_auditor or entry.lead_auditor or user
    start = entry.next_start
    audit = audit_create(
        organisation=entry.organisation,
        user=user,
        title_zh=entry.title_zh,
        title_en=entry.title_en,
        audit_type=entry.audit_type,
        elements=entry.elements,
        period_start=start - relativedelta(months=entry.period_months),
        period_end=start - datetime.timedelta(days=1),
        planned_start=start,
        planned_end=start + datetime.timedelta(days=max(entry.duration_days - 1, 0)),
        lead_auditor=lead,
        plan_entry=entry,
    )
    months = RECURRENCE_MONTHS[Recurrence(entry.recurrence)]
    if months:
        entry.next_start = start + relativedelta(months=months)
        if entry.next_start.year != entry.plan.year:
            entry.plan = plan_get_or_create(
                organisation=entry.organisation, user=user, year=entry.next_start.year
            )
    else:
        entry.is_active = False
    entry.save()
    return audit
