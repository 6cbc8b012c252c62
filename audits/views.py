"""E7 compliance audits: audits and their checklists, the auditor's review with autosave,
findings, corrective actions, sign-off and addenda, reports, templates and the annual plan."""

import datetime
from urllib.parse import urlencode

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from accounts.roles import Role
from core.forms import add_service_errors
from core.http import int_param, stored_file_response
from core.lists import ScopedListView
from records.services import document_attach, documents_for
from reference.models import Element

from . import selectors
from .forms import (
    ActionForm,
    ActionUpdateForm,
    ActionVerifyForm,
    AddendumForm,
    AnswerForm,
    AuditForm,
    EvidenceLinkForm,
    EvidenceUploadForm,
    FindingForm,
    PlanEntryForm,
    QuestionForm,
    ReportForm,
    SignOffForm,
    TemplateCopyForm,
)
from .jobs import checklist_job_start, report_job_start
from .models import (
    ActionStatus,
    Answer,
    Audit,
    AuditStatus,
    AuditType,
    ChecklistItem,
    ChecklistTemplate,
    CorrectiveAction,
    Finding,
)
from .services import audits as audit_services
from .services import review as review_services
from .services import templates as template_services
from .services.checklist import evidence_kind_label, sample_population, sample_reason_label


def _messages_of(form) -> list[str]:
    """Every error of a failed form, for a message when the page cannot show the form."""
    return [str(message) for messages_ in form.errors.values() for message in messages_]


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _audit(request, pk) -> Audit:
    try:
        return selectors.audit_get(organisation=request.organisation, pk=pk)
    except Audit.DoesNotExist as exc:
        raise Http404 from exc


def _item(request, audit, item_pk) -> ChecklistItem:
    return selectors.checklist_item_get(audit=audit, pk=item_pk)


def _is_auditor(request) -> bool:
    return request.membership.role == Role.AUDITOR


def _in_team(request, audit) -> bool:
    return _is_auditor(request) and (
        request.user.pk == audit.lead_auditor_id
        or any(member.pk == request.user.pk for member in audit.team.all())
    )


# ---------------------------------------------------------------------------------------------
# Audits


class AuditFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=AuditStatus.choices)
    audit_type = django_filters.ChoiceFilter(label=gettext_lazy("Type"), choices=AuditType.choices)

    class Meta:
        model = Audit
        fields = ["status", "audit_type"]


class AuditListView(ScopedListView):
    model = Audit
    roles = roles.PROGRAMME_READERS
    template_name = "audits/audit_list.html"
    filterset_class = AuditFilter
    search_fields = ("reference", "title_zh", "title_en")
    export_filename = "audits"
    export_columns = (
        (gettext_lazy("Reference"), "reference"),
        (gettext_lazy("Title (Chinese)"), "title_zh"),
        (gettext_lazy("Title (English)"), "title_en"),
        (gettext_lazy("Type"), "get_audit_type_display"),
        (gettext_lazy("Elements in scope"), lambda a: ", ".join(a.elements)),
        (gettext_lazy("Period from"), "period_start"),
        (gettext_lazy("Period to"), "period_end"),
        (gettext_lazy("Planned start"), "planned_start"),
        (gettext_lazy("Lead auditor"), "lead_auditor"),
        (gettext_lazy("Status"), "get_status_display"),
        (gettext_lazy("Checklist items"), "item_count"),
        (gettext_lazy("Answered"), "answered_count"),
        (gettext_lazy("Findings"), "finding_count"),
        (gettext_lazy("Signed off"), "signed_off_at"),
    )

    def get_base_queryset(self):
        return selectors.audit_list(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, can_run=self.membership.role in roles.AUDITORS)


@organisation_required(roles=roles.AUDITORS)
def audit_create(request):
    today = timezone.localdate()
    last_year = today.year - 1
    form = AuditForm(
        request.POST or None,
        organisation=request.organisation,
        initial={
            "audit_type": AuditType.INTERNAL,
            "elements": [f"E{n}" for n in range(1, 10)],
            "period_start": datetime.date(last_year, 1, 1),
            "period_end": datetime.date(last_year, 12, 31),
            "planned_start": today,
            "planned_end": today + datetime.timedelta(days=14),
            "lead_auditor": request.user,
            "template": template_services.template_standard_ensure(),
            "sample_size": 20,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = audit_services.audit_create(
                organisation=request.organisation,
                user=request.user,
                title_zh=data["title_zh"],
                title_en=data["title_en"],
                audit_type=data["audit_type"],
                elements=data["elements"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                lead_auditor=data["lead_auditor"],
                team=list(data["team"]),
                template=data["template"],
                sample_size=data["sample_size"],
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Audit %(ref)s created.") % {"ref": audit.reference})
            return redirect(audit)
    return render(request, "audits/audit_form.html", {"form": form})


@organisation_required(roles=roles.AUDITORS)
def audit_edit(request, pk):
    audit = _audit(request, pk)
    if audit.is_signed_off:
        messages.error(request, _("The audit is signed off and can no longer be changed."))
        return redirect(audit)
    initial = {
        field: getattr(audit, field)
        for field in (
            "title_zh",
            "title_en",
            "audit_type",
            "elements",
            "period_start",
            "period_end",
            "planned_start",
            "planned_end",
            "lead_auditor",
            "template",
            "sample_size",
        )
    }
    initial["team"] = list(audit.team.all())
    form = AuditForm(request.POST or None, organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = list(data.pop("team"))
        try:
            audit_services.audit_update(audit=audit, user=request.user, team=team, **data)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Audit saved."))
            return redirect(audit)
    return render(request, "audits/audit_form.html", {"form": form, "audit": audit})


@organisation_required(roles=roles.PROGRAMME_READERS)
def audit_detail(request, pk):
    return _render_audit_detail(request, _audit(request, pk))


def _render_audit_detail(request, audit, **bound_forms):
    """The audit's page; `bound_forms` (a form that failed) replace the empty ones."""
    progress = selectors.audit_progress(audit=audit)
    elements = selectors.elements_by_code(audit.template.framework)
    element_rows = [
        {"code": code, "element": elements.get(code), **progress["by_element"].get(code, {})}
        for code in audit.elements
    ]
    job = audit.generation_job
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "progress": progress,
            "element_rows": element_rows,
            "findings": selectors.findings_of(audit=audit),
            "reports": selectors.reports_of(audit=audit),
            "addenda": audit.addenda.select_related("author"),
            "job": job,
            "job_running": job is not None and not job.is_finished,
            "in_team": _in_team(request, audit),
            "is_lead": request.user.pk == audit.lead_auditor_id,
            "is_auditor": _is_auditor(request),
            "template_changed": bool(
                audit.generated_at and audit.generated_revision != audit.template.revision
            ),
            "conflicts": audit.items.filter(independence_conflict=True).count(),
            "report_form": ReportForm(initial={"language": request.LANGUAGE_CODE}),
            "addendum_form": bound_forms.get("addendum_form") or AddendumForm(),
        },
    )


@require_POST
@organisation_required(roles=roles.AUDITORS)
def audit_generate(request, pk):
    return _generate(request, pk, regenerate=False)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def audit_regenerate(request, pk):
    return _generate(request, pk, regenerate=True)


def _generate(request, pk, *, regenerate):
    audit = _audit(request, pk)
    if not _in_team(request, audit):
        raise PermissionDenied
    if not request.POST.get("confirm_empty") and not sample_population(audit).exists():
        # A period without transactions gives a checklist without a sample: ask first.
        return render(
            request, "audits/generate_confirm.html", {"audit": audit, "regenerate": regenerate}
        )
    try:
        checklist_job_start(audit=audit, user=request.user, regenerate=regenerate)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.info(request, _("The checklist is being generated."))
    return redirect(audit)


@organisation_required(roles=roles.AUDITORS)
def audit_sign_off(request, pk):
    audit = _audit(request, pk)
    form = SignOffForm(request.POST or None, initial={"summary": audit.summary})
    if request.method == "POST" and form.is_valid():
        try:
            audit_services.audit_sign_off(
                audit=audit, user=request.user, summary=form.cleaned_data["summary"]
            )
        except ValidationError as error:
            add_service_errors(form, error)  # shown again with the summary as typed
        else:
            messages.success(request, _("The audit is signed off."))
            return redirect(audit)
    progress = selectors.audit_progress(audit=audit)
    return render(
        request,
        "audits/sign_off.html",
        {
            "audit": audit,
            "form": form,
            "progress": progress,
            "is_lead": request.user.pk == audit.lead_auditor_id,
        },
    )


@require_POST
@organisation_required(roles=roles.AUDITORS)
def addendum_create(request, pk):
    audit = _audit(request, pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            audit_services.addendum_add(
                audit=audit, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Addendum added."))
            return redirect(f"{audit.get_absolute_url()}#addenda")
    if not (audit.is_signed_off and _in_team(request, audit)):  # the page has no such form
        messages.error(request, " ".join(_messages_of(form)))
        return redirect(f"{audit.get_absolute_url()}#addenda")
    # Shown again with the addendum as typed and the error under it.
    return _render_audit_detail(request, audit, addendum_form=form)


# ---------------------------------------------------------------------------------------------
# Checklist and review


def _filters(request) -> dict:
    return {
        "element": request.GET.get("element", ""),
        "answer": request.GET.get("answer", ""),
        "mine": request.GET.get("mine", ""),
    }


def _filtered_items(request, audit, filters):
    return selectors.checklist_items(
        audit=audit,
        element=filters["element"],
        answer=filters["answer"],
        mine_user=request.user if filters["mine"] else None,
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def checklist(request, pk):
    audit = _audit(request, pk)
    filters = _filters(request)
    items = list(_filtered_items(request, audit, filters))
    elements = selectors.elements_by_code(audit.template.framework)
    for item in items:
        item.sample_reason_labels = ", ".join(
            sample_reason_label(code) for code in item.sample_reason.split(", ") if code
        )
    return render(
        request,
        "audits/checklist.html",
        {
            "audit": audit,
            "items": items,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "progress": selectors.audit_progress(audit=audit),
            "element_choices": [(code, elements.get(code)) for code in audit.elements],
            "answer_choices": [("open", _("Not answered")), *Answer.choices],
            "in_team": _in_team(request, audit),
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def item_detail(request, pk, item_pk):
    audit = _audit(request, pk)
    return _render_item_detail(request, audit, _item(request, audit, item_pk))


def _render_item_detail(request, audit, item, **bound_forms):
    """The checklist item page; `bound_forms` (a form that failed) replace the empty ones."""
    filters = _filters(request)
    previous_id, next_id = selectors.item_neighbours(
        items=_filtered_items(request, audit, filters), item=item
    )
    can_answer = (
        _in_team(request, audit)
        and not audit.is_signed_off
        and request.user.pk not in (item.involved_user_ids or [])
    )
    documents = documents_for(item)
    return render(
        request,
        "audits/item_detail.html",
        {
            "audit": audit,
            "item": item,
            "form": AnswerForm(initial={"answer": item.answer, "comment": item.comment}),
            "link_form": bound_forms.get("link_form") or EvidenceLinkForm(),
            "upload_form": bound_forms.get("upload_form") or EvidenceUploadForm(),
            "evidence": [
                {**link, "kind_label": evidence_kind_label(link.get("kind", ""))}
                for link in item.evidence
            ],
            "documents": documents,
            "findings": item.findings.all(),
            "previous_id": previous_id,
            "next_id": next_id,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "progress": selectors.audit_progress(audit=audit),
            "can_answer": can_answer,
            "conflicted": request.user.pk in (item.involved_user_ids or []),
            "in_team": _in_team(request, audit),
            "sample_reason_labels": ", ".join(
                sample_reason_label(code) for code in item.sample_reason.split(", ") if code
            ),
            "answer_choices": Answer.choices,
        },
    )


@require_POST
@organisation_required(roles=roles.AUDITORS)
def item_autosave(request, pk, item_pk):
    """Saves what the auditor typed. JSON for the autosave script; without script, the form's
    "Save and next" button posts here too and is sent on to the next item."""
    audit = _audit(request, pk)
    item = _item(request, audit, item_pk)
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    values = {}
    if "answer" in request.POST:
        values["answer"] = request.POST["answer"]
    if "comment" in request.POST:
        values["comment"] = request.POST["comment"]
    try:
        item = review_services.item_answer(item=item, user=request.user, **values)
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=400)
        _error(request, error)
        return redirect(item.get_absolute_url())
    if wants_json:
        progress = selectors.audit_progress(audit=audit)
        return JsonResponse(
            {
                "saved": True,
                "answer": item.answer,
                "saved_at": timezone.localtime(item.answered_at).strftime("%H:%M:%S")
                if item.answered_at
                else "",
                "answered": progress["answered"],
                "total": progress["total"],
                "percent": progress["percent"],
            }
        )
    messages.success(request, _("Saved."))
    next_id = request.POST.get("next")
    query = request.POST.get("query", "")
    if next_id and next_id.isdigit():
        return redirect(
            f"{ChecklistItem(pk=int(next_id), audit_id=audit.pk).get_absolute_url()}"
            + (f"?{query}" if query else "")
        )
    return redirect(item.get_absolute_url() + (f"?{query}" if query else ""))


@require_POST
@organisation_required(roles=roles.AUDITORS)
def item_link(request, pk, item_pk):
    audit = _audit(request, pk)
    item = _item(request, audit, item_pk)
    form = EvidenceLinkForm(request.POST)
    if form.is_valid():
        try:
            review_services.item_link_add(
                item=item,
                user=request.user,
                url=form.cleaned_data["url"],
                label=form.cleaned_data["label"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Link added."))
            return redirect(f"{item.get_absolute_url()}#evidence")
    # Shown again with the address and label as typed and the error under the form.
    return _render_item_detail(request, audit, item, link_form=form)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def item_attach(request, pk, item_pk):
    audit = _audit(request, pk)
    item = _item(request, audit, item_pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            review_services.item_check_reviewer(item=item, user=request.user)
            document = document_attach(
                organisation=request.organisation,
                user=request.user,
                target=item,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s attached.") % {"name": document.original_name})
            return redirect(f"{item.get_absolute_url()}#evidence")
    # Shown again with the description as typed and the error under the form.
    return _render_item_detail(request, audit, item, upload_form=form)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def item_take(request, pk, item_pk):
    """A team member takes the items of a sampled transaction (independence conflicts)."""
    from .services.checklist import reassign_item_group

    audit = _audit(request, pk)
    item = _item(request, audit, item_pk)
    if item.transaction_id is None:
        raise Http404
    try:
        count = reassign_item_group(
            audit=audit, transaction_id=item.transaction_id, user=request.user
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            ngettext("%(count)d item assigned to you.", "%(count)d items assigned to you.", count)
            % {"count": count},
        )
    return redirect(item.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# Findings and corrective actions


@organisation_required(roles=roles.AUDITORS)
def finding_create(request, pk):
    audit = _audit(request, pk)
    item = None
    item_id = request.GET.get("item") or request.POST.get("item")
    if item_id:
        item = _item(request, audit, item_id)
    initial = {}
    if item is not None:
        initial = {
            "element_code": item.element_code,
            "description": item.comment,
            "severity": "minor",
        }
    form = FindingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            finding = review_services.finding_raise(
                audit=audit, user=request.user, item=item, **form.cleaned_data
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Finding %(code)s raised.") % {"code": finding.code})
            return redirect(finding)
    return render(request, "audits/finding_form.html", {"audit": audit, "item": item, "form": form})


def _finding(request, pk) -> Finding:
    return selectors.finding_get(organisation=request.organisation, pk=pk)


@organisation_required(roles=roles.PROGRAMME_READERS)
def finding_detail(request, pk):
    return _render_finding_detail(request, _finding(request, pk))


def _can_assign(request, finding) -> bool:
    return request.membership.role in roles.AUDIT_FOLLOW_UP and not finding.audit.is_signed_off


def _render_finding_detail(request, finding, action_form=None):
    return render(
        request,
        "audits/finding_detail.html",
        {
            "finding": finding,
            "audit": finding.audit,
            "actions": finding.actions.select_related("owner", "verified_by"),
            "action_form": action_form or ActionForm(organisation=request.organisation),
            "can_assign": _can_assign(request, finding),
        },
    )


@require_POST
@organisation_required(roles=roles.AUDIT_FOLLOW_UP)
def action_create(request, pk):
    finding = _finding(request, pk)
    form = ActionForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        try:
            review_services.action_create(finding=finding, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Corrective action assigned."))
            return redirect(f"{finding.get_absolute_url()}#actions")
    if not _can_assign(request, finding):  # e.g. signed off meanwhile: the page has no form
        messages.error(request, " ".join(_messages_of(form)))
        return redirect(f"{finding.get_absolute_url()}#actions")
    # Shown again with the action as typed and the errors under its fields.
    return _render_finding_detail(request, finding, action_form=form)


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=ActionStatus.choices)

    class Meta:
        model = CorrectiveAction
        fields = ["status"]


class ActionListView(ScopedListView):
    """Corrective actions. Staff see only the ones they own; everyone may narrow to theirs."""

    model = CorrectiveAction
    roles = roles.ALL_MEMBERS
    template_name = "audits/action_list.html"
    filterset_class = ActionFilter
    search_fields = ("description", "finding__title", "finding__audit__reference")
    export_filename = "corrective-actions"
    export_columns = (
        (gettext_lazy("Audit"), "finding.audit.reference"),
        (gettext_lazy("Finding"), "finding"),
        (gettext_lazy("Corrective action"), "description"),
        (gettext_lazy("Owner"), "owner"),
        (gettext_lazy("Due"), "due_date"),
        (gettext_lazy("Status"), "get_status_display"),
        (gettext_lazy("Verified by"), "verified_by"),
        (gettext_lazy("Verified"), "verified_at"),
    )

    def get_base_queryset(self):
        own_only = self.membership.role not in roles.PROGRAMME_READERS or self.request.GET.get(
            "mine"
        )
        return selectors.action_list(
            organisation=self.organisation, user=self.request.user if own_only else None
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            today=timezone.localdate(),
            can_see_all=self.membership.role in roles.PROGRAMME_READERS,
        )


def _action(request, pk) -> CorrectiveAction:
    action = selectors.corrective_action_get(organisation=request.organisation, pk=pk)
    if (
        request.membership.role not in roles.PROGRAMME_READERS
        and action.owner_id != request.user.pk
    ):
        raise PermissionDenied
    return action


@organisation_required(roles=roles.ALL_MEMBERS)
def action_detail(request, pk):
    return _render_action_detail(request, _action(request, pk))


def _can_verify(request, action) -> bool:
    return (
        request.membership.role == Role.AUDITOR
        and action.owner_id != request.user.pk
        and action.status == ActionStatus.DONE
    )


def _render_action_detail(request, action, **bound_forms):
    """The action's page; `bound_forms` (a form that failed) replace the empty ones."""
    role = request.membership.role
    return render(
        request,
        "audits/action_detail.html",
        {
            "action": action,
            "finding": action.finding,
            "update_form": bound_forms.get("update_form")
            or ActionUpdateForm(
                initial={"status": action.status, "progress_note": action.progress_note}
            ),
            "verify_form": bound_forms.get("verify_form") or ActionVerifyForm(),
            "can_update": review_services.action_can_update(
                action=action, user=request.user, role=role
            ),
            "can_verify": _can_verify(request, action),
            "is_reader": role in roles.PROGRAMME_READERS,
        },
    )


@require_POST
@organisation_required(roles=roles.ALL_MEMBERS)
def action_update(request, pk):
    action = _action(request, pk)
    if not review_services.action_can_update(
        action=action, user=request.user, role=request.membership.role
    ):
        raise PermissionDenied
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            review_services.action_update(
                action=action, user=request.user, role=request.membership.role, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Corrective action updated."))
            return redirect(action)
    # Shown again with the status and note as typed and the error under the form.
    return _render_action_detail(request, action, update_form=form)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def action_verify(request, pk):
    action = _action(request, pk)
    form = ActionVerifyForm(request.POST)
    if form.is_valid():
        try:
            review_services.action_verify(
                action=action, user=request.user, role=request.membership.role, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Verification recorded."))
            return redirect(action)
    if not _can_verify(request, action):  # the page has no verification form for this user
        messages.error(request, " ".join(_messages_of(form)))
        return redirect(action)
    # Shown again with the result and note as typed and the error under the form.
    return _render_action_detail(request, action, verify_form=form)


# ---------------------------------------------------------------------------------------------
# Reports


@require_POST
@organisation_required(roles=roles.AUDITORS)
def report_generate(request, pk):
    audit = _audit(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose Chinese or English."))
        return redirect(audit)
    job = report_job_start(audit=audit, user=request.user, language=form.cleaned_data["language"])
    return redirect(job)


@organisation_required(roles=roles.PROGRAMME_READERS)
def report_download(request, pk):
    report = selectors.report_get(organisation=request.organisation, pk=pk)
    response = stored_file_response(
        request, report.file, filename=report.filename, content_type="application/pdf"
    )
    if response.status_code == 200:
        response["X-Content-SHA256"] = report.sha256
    return response


# ---------------------------------------------------------------------------------------------
# Templates


@organisation_required(roles=roles.PROGRAMME_READERS)
def template_list(request):
    template_services.template_standard_ensure()
    return render(
        request,
        "audits/template_list.html",
        {
            "templates": selectors.template_list(organisation=request.organisation),
            "copy_form": TemplateCopyForm(organisation=request.organisation),
            "is_auditor": _is_auditor(request),
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
    editable = _is_auditor(request) and template.organisation_id == request.organisation.pk
    return render(
        request,
        "audits/template_detail.html",
        {
            "template": template,
            "questions": questions,
            "editable": editable,
            "question_form": (question_form or QuestionForm()) if editable else None,
            "is_auditor": _is_auditor(request),
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
            _error(request, error)
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
        messages.error(request, " ".join(_messages_of(form)))
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
            _error(request, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect(question.template)
    return render(request, "audits/question_form.html", {"question": question, "form": form})


# ---------------------------------------------------------------------------------------------
# The annual plan


@organisation_required(roles=roles.PROGRAMME_READERS)
def plan(request):
    year = int_param(
        request.GET, "year", default=timezone.localdate().year, minimum=1900, maximum=2999
    )
    return _render_plan(request, year)


def _render_plan(request, year, form=None):
    audit_plan = selectors.audit_plan_of_year(organisation=request.organisation, year=year)
    entries = selectors.plan_entries(plan=audit_plan)
    audits = selectors.audits_of_year(organisation=request.organisation, year=year)
    return render(
        request,
        "audits/plan.html",
        {
            "year": year,
            "plan": audit_plan,
            "entries": entries,
            "audits": audits,
            "form": form
            or PlanEntryForm(
                organisation=request.organisation,
                initial={
                    "next_start": datetime.date(year, 3, 1),
                    "elements": [f"E{n}" for n in range(1, 10)],
                },
            ),
            "is_auditor": _is_auditor(request),
        },
    )


@require_POST
@organisation_required(roles=roles.AUDITORS)
def plan_entry_create(request):
    form = PlanEntryForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = audit_services.plan_entry_create(
                organisation=request.organisation,
                user=request.user,
                year=data["next_start"].year,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added to the audit plan."))
            return redirect(entry.plan)
    # Shown again, for the year of the date typed, with the entry as typed and its errors.
    start = form.cleaned_data.get("next_start") if hasattr(form, "cleaned_data") else None
    year = start.year if start else timezone.localdate().year
    return _render_plan(request, year, form=form)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def plan_entry_start(request, pk):
    entry = selectors.plan_entry_get(organisation=request.organisation, pk=pk)
    try:
        audit = audit_services.plan_entry_start(entry=entry, user=request.user)
    except ValidationError as error:
        _error(request, error)
        return redirect("audits:plan")
    messages.success(request, _("Audit %(ref)s created from the plan.") % {"ref": audit.reference})
    return redirect(audit)
