"""Getting started: set a step aside or take it up again, and the first risk assessment from
the questionnaire (through the programme's own risk services, so the register keeps its rules)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Organisation, ProgrammeProfile
from accounts.permissions import require_role
from icp.models import RiskAssessment
from icp.services.risk import risk_assessment_create, risk_factor_create

from .models import SkippedStep, Step
from .questionnaire import QUESTIONS

REVIEW_AFTER = datetime.timedelta(days=365)


def step_skip(*, organisation, user, step: str) -> SkippedStep:
    require_role(organisation=organisation, user=user, roles=roles.PROGRAMME_EDITORS)
    if step not in Step.values:
        raise ValidationError(_("There is no such step."))
    skipped, _created = SkippedStep.objects.get_or_create(
        organisation=organisation, step=step, defaults={"skipped_by": user}
    )
    return skipped


def step_resume(*, organisation, user, step: str) -> None:
    require_role(organisation=organisation, user=user, roles=roles.PROGRAMME_EDITORS)
    SkippedStep.objects.for_organisation(organisation).filter(step=step).delete()


@transaction.atomic
def risk_assessment_from_answers(*, organisation, user, answers: dict) -> RiskAssessment:
    """The first assessment, a draft, with one risk per question. Refused when the organisation
    already has an assessment: from then on the register is kept in the risk pages."""
    require_role(organisation=organisation, user=user, roles=roles.PROGRAMME_EDITORS)
    if RiskAssessment.objects.for_organisation(organisation).exists():
        raise ValidationError(
            _("This organisation already has a risk assessment; keep its register there.")
        )
    missing = [q.code for q in QUESTIONS if answers.get(q.code) not in {a.code for a in q.answers}]
    if missing:
        raise ValidationError(_("Answer every question."))
    today = timezone.localdate()
    assessment = risk_assessment_create(
        organisation=organisation,
        user=user,
        title=_("First risk assessment"),
        assessment_date=today,
        period_start=today,
        period_end=today + REVIEW_AFTER,
        scope_zh="首次风险评估：依据入门问卷的回答生成，需由合规经理复核。",
        scope_en="First risk assessment, from the getting-started questionnaire; "
        "to be reviewed by the compliance manager.",
    )
    for question in QUESTIONS:
        answer = question.answer(answers[question.code])
        risk_factor_create(
            assessment=assessment,
            user=user,
            category=question.category,
            title_zh=answer.title_zh,
            title_en=answer.title_en,
            likelihood=answer.likelihood,
            impact=answer.impact,
            residual_likelihood=answer.residual_likelihood,
            residual_impact=answer.residual_impact,
            mitigation_zh=answer.mitigation_zh,
            mitigation_en=answer.mitigation_en,
            owner=user,
            review_date=today + REVIEW_AFTER,
        )
    return assessment


@transaction.atomic
def programme_profile_set(*, organisation, user, profile: str, confirmed: bool) -> None:
    """Choose the full or the lite programme. Lite is for very small firms and must be
    confirmed: its transaction review asks only the core red-flag questions
    (accounts/profiles.py) and its manual defaults to the concise edition."""
    require_role(organisation=organisation, user=user, roles=roles.PROGRAMME_EDITORS)
    if profile not in ProgrammeProfile.values:
        raise ValidationError({"profile": _("Choose the full or the lite programme.")})
    if profile == ProgrammeProfile.LITE and not confirmed:
        raise ValidationError(
            {"confirmed": _("Confirm that your firm is very small before choosing lite.")}
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.programme_profile == profile:
        return
    organisation.programme_profile = profile
    organisation._history_user = user
    organisation.save(update_fields=["programme_profile"])
