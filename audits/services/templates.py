"""Checklist templates: the standard template of each framework version, and copies an
organisation adapts (add, reword, disable questions)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from core.i18n import joined
from reference.models import AuditQuestion, Element, ReferenceFramework
from reference.selectors import current_framework

from ..models import ChecklistTemplate, TemplateQuestion

STANDARD_NAME_ZH = "标准审计清单（%(code)s %(version)s）"
STANDARD_NAME_EN = "Standard audit checklist (%(code)s %(version)s)"


@transaction.atomic
def template_standard_ensure(*, framework: ReferenceFramework | None = None) -> ChecklistTemplate:
    """The standard template of `framework` (default: the current one), built from the reference
    library's audit questions. Idempotent; questions added to the library later are added."""
    framework = framework or current_framework()
    if framework is None:
        raise ValidationError(_("The reference library is not loaded."))
    names = {"code": framework.code, "version": framework.version}
    template, _created = ChecklistTemplate.objects.get_or_create(
        organisation=None,
        framework=framework,
        defaults={"name_zh": STANDARD_NAME_ZH % names, "name_en": STANDARD_NAME_EN % names},
    )
    existing = set(template.questions.values_list("ref_id", flat=True))
    questions = (
        AuditQuestion.objects.filter(framework=framework)
        .select_related("element")
        .order_by("element__order", "ref_id")
    )
    TemplateQuestion.objects.bulk_create(
        [
            TemplateQuestion(
                template=template,
                reference_question=question,
                ref_id=question.ref_id,
                element=question.element,
                position=position,
                text_zh=question.text_zh or question.text_en,
                text_en=question.text_en,
                guidance_zh=question.guidance_zh,
                guidance_en=question.guidance_en,
                source=question.source,
                basis=question.basis,
            )
            for position, question in enumerate(questions, start=1)
            if question.ref_id not in existing
        ]
    )
    return template


def _bump(template: ChecklistTemplate) -> None:
    ChecklistTemplate.objects.filter(pk=template.pk).update(revision=F("revision") + 1)
    template.refresh_from_db(fields=["revision", "updated_at"])


def _own(template: ChecklistTemplate, organisation) -> None:
    if template.organisation_id != organisation.pk:
        raise ValidationError(
            _("The standard template cannot be changed: copy it for your organisation first.")
        )


@transaction.atomic
def template_copy(
    *, organisation, user, source: ChecklistTemplate, name_zh: str, name_en: str = ""
) -> ChecklistTemplate:
    """A copy of `source` (standard or own) that the organisation may adapt."""
    if source.organisation_id not in (None, organisation.pk):
        raise ValidationError(_("This template belongs to another organisation."))
    if ChecklistTemplate.objects.filter(organisation=organisation, name_zh=name_zh).exists():
        raise ValidationError(_("A template with this name already exists."))
    copy = ChecklistTemplate.objects.create(
        organisation=organisation,
        framework=source.framework,
        name_zh=name_zh,
        name_en=name_en,
        based_on=source,
        created_by=user,
    )
    TemplateQuestion.objects.bulk_create(
        [
            TemplateQuestion(
                template=copy,
                reference_question_id=q.reference_question_id,
                ref_id=q.ref_id,
                element_id=q.element_id,
                position=q.position,
                text_zh=q.text_zh,
                text_en=q.text_en,
                guidance_zh=q.guidance_zh,
                guidance_en=q.guidance_en,
                source=q.source,
                basis=q.basis,
                is_active=q.is_active,
            )
            for q in source.questions.all()
        ]
    )
    return copy


@transaction.atomic
def template_question_add(
    *,
    organisation,
    template: ChecklistTemplate,
    element: Element,
    text_zh: str,
    text_en: str = "",
    guidance_zh: str = "",
    guidance_en: str = "",
    source: str = "",
) -> TemplateQuestion:
    """Add the organisation's own question; its id is ORG-<element>-<n>."""
    _own(template, organisation)
    if element.framework_id != template.framework_id:
        raise ValidationError(_("The element belongs to another framework version."))
    count = template.questions.filter(element=element, reference_question__isnull=True).count()
    last = template.questions.filter(element=element).aggregate(m=Max("position"))["m"] or 0
    question = TemplateQuestion.objects.create(
        template=template,
        ref_id=f"ORG-{element.code}-{count + 1:02d}",
        element=element,
        position=last + 1,
        text_zh=text_zh,
        text_en=text_en,
        guidance_zh=guidance_zh,
        guidance_en=guidance_en,
        source=source or _("own"),
        basis="organisation",
    )
    _bump(template)
    return question


@transaction.atomic
def template_question_update(
    *, organisation, question: TemplateQuestion, **values
) -> TemplateQuestion:
    """Reword or disable a question. Element, id and source stay as they are."""
    _own(question.template, organisation)
    allowed = {"text_zh", "text_en", "guidance_zh", "guidance_en", "is_active"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % joined(sorted(unknown)))
    changed = False
    for field, value in values.items():
        if getattr(question, field) != value:
            setattr(question, field, value)
            changed = True
    if changed:
        question.save()
        _bump(question.template)
    return question
