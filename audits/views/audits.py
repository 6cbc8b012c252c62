"""E7 audits: the list, creating and editing one, generating its checklist, sign-off,
addenda and the report."""

import datetime

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from audits import selectors
from audits.forms import (
    AddendumForm,
    AuditForm,
    ReportForm,
    SignOffForm,
)
from audits.jobs import checklist_job_start, report_job_start
from audits.models import (
    Audit,
    AuditStatus,
    AuditType,
)
from audits.services import audits as audit_services
from audits.services import templates as template_services
from audits.services.checklist_sample import sample_population
from audits.views.common import audit_or_404, error_message, form_messages, in_team, is_auditor
from core.forms import add_service_errors
from core.http import stored_file_response
from core.i18n import joined
from core.lists import ScopedListView


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
        (gettext_lazy("Elements in scope"), lambda a: joined(a.elements)),
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
            error_message(request, error)
        else:
            messages.success(request, _("Audit %(ref)s created.") % {"ref": audit.reference})
            return redirect(audit)
    return render(request, "audits/audit_form.html", {"form": form})


@organisation_required(roles=roles.AUDITORS)
def audit_edit(request, pk):
    audit = audit_or_404(request, pk)
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
            error_message(request, error)
        else:
            messages.success(request, _("Audit saved."))
            return redirect(audit)
    return render(request, "audits/audit_form.html", {"form": form, "audit": audit})


@organisation_required(roles=roles.PROGRAMME_READERS)
def audit_detail(request, pk):
    return _render_audit_detail(request, audit_or_404(request, pk))


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
            "in_team": in_team(request, audit),
            "is_lead": request.user.pk == audit.lead_auditor_id,
            "is_auditor": is_auditor(request),
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
    audit = audit_or_404(request, pk)
    if not in_team(request, audit):
        raise PermissionDenied
    if not request.POST.get("confirm_empty") and not sample_population(audit).exists():
        # A period without transactions gives a checklist without a sample: ask first.
        return render(
            request, "audits/generate_confirm.html", {"audit": audit, "regenerate": regenerate}
        )
    try:
        checklist_job_start(audit=audit, user=request.user, regenerate=regenerate)
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.info(request, _("The checklist is being generated."))
    return redirect(audit)


@organisation_required(roles=roles.AUDITORS)
def audit_sign_off(request, pk):
    audit = audit_or_404(request, pk)
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
    audit = audit_or_404(request, pk)
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
    if not (audit.is_signed_off and in_team(request, audit)):  # the page has no such form
        messages.error(request, " ".join(form_messages(form)))
        return redirect(f"{audit.get_absolute_url()}#addenda")
    # Shown again with the addendum as typed and the error under it.
    return _render_audit_detail(request, audit, addendum_form=form)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def report_generate(request, pk):
    audit = audit_or_404(request, pk)
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
