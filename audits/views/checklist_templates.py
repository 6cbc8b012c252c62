"""E7 checklist templates: the standard one, copies and their questions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from audits import selectors
from audits.forms import (
    QuestionForm,
    TemplateCopyForm,
)
from audits.models import (
    ChecklistTemplate,
)
from audits.services import templates as template_services
from audits.views.common import error_message, form_messages, is_auditor
from core.forms import add_service_errors
from reference.models import Element


@organisation_required(roles=roles.PROGRAMME_READERS)
def template_list(request):
    template_services.template_standard_ensure()
    return render(
        request,
        "audits/template_list.html",
        {
            "templates": selectors.template_list(organisation=request.organisation),
            "copy_form": TemplateCopyForm(organisation=request.organisation),
            "is_auditor": is_auditor(request),
        },
    )


def _template(request, pk) -> ChecklistTemplate:
    return selectors.template_get(organisation=request.organisation, pk=pk)


@organisation_required(roles=roles.PROGRAMME_READERS)
def template_detail(request, pk):
    return _render_template_detail(request, _template(request, pk))


def _render_template_detail(request, template, question_form=None):
    questions = template.questions.select_related("element").order_by(
        "element__order", "position", "ref_id"
    )
    editable = is_auditor(request) and template.organisation_id == request.organisation.pk
    return render(
        request,
        "audits/template_detail.html",
        {
            "template": template,
            "questions": questions,
            "editable": editable,
            "question_form": (question_form or QuestionForm()) if editable else None,
            "is_auditor": is_auditor(request),
        },
    )


@require_POST
@organisation_required(roles=roles.AUDITORS)
def template_copy(request):
    form = TemplateCopyForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        try:
            template = template_services.template_copy(
                organisation=request.organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, _("Template copied: adapt its questions now."))
            return redirect(template)
    else:
        messages.error(request, _("Choose a template and give the copy a name."))
    return redirect("audits:template_list")


@require_POST
@organisation_required(roles=roles.AUDITORS)
def question_add(request, pk):
    template = _template(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        element = Element.objects.filter(
            framework=template.framework, code=data.pop("element")
        ).first()
        try:
            if element is None:
                raise ValidationError(_("Unknown element."))
            template_services.template_question_add(
                organisation=request.organisation, template=template, element=element, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question added."))
            return redirect(template)
    if template.organisation_id != request.organisation.pk:  # a standard template: no form
        messages.error(request, " ".join(form_messages(form)))
        return redirect(template)
    # Shown again with the question as typed and the errors under its fields.
    return _render_template_detail(request, template, question_form=form)


@organisation_required(roles=roles.AUDITORS)
def question_edit(request, pk):
    question = selectors.question_get(organisation=request.organisation, pk=pk)
    form = QuestionForm(
        request.POST or None,
        editing=True,
        initial={
            field: getattr(question, field)
            for field in ("text_zh", "text_en", "guidance_zh", "guidance_en", "is_active")
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            template_services.template_question_update(
                organisation=request.organisation, question=question, **form.cleaned_data
            )
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect(question.template)
    return render(request, "audits/question_form.html", {"question": question, "form": form})
