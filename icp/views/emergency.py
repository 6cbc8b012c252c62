from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts.permissions import organisation_required
from accounts.security import client_ip
from core.forms import add_service_errors
from core.i18n import labelled
from core.lists import ScopedListView
from core.ratelimit import rate_limit_exceeded
from icp.forms.emergency import (
    ActionDoneForm,
    IncidentActionForm,
    IncidentCloseForm,
    IncidentNoteForm,
    IncidentReportForm,
    IncidentTriageForm,
    LinkTransactionForm,
    MofcomReportForm,
    ReceiptForm,
    ResponsePlanForm,
    StopShipmentForm,
)
from icp.models import Incident, ResponsePlan
from icp.selectors.emergency import (
    incident_action_get,
    incident_by_receipt,
    incident_get,
    replies_to_reporter,
    response_plan_get,
    response_plan_scenarios,
)
from icp.services import emergency as services
from icp.services.emergency_templates import (
    incident_letter,
    plan_templates,
    response_plan_from_template,
)
from records.services import document_attach

FOLLOW_WINDOW_SECONDS = 3600


def _form_errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


class IncidentListView(ScopedListView):
    model = Incident
    roles = roles.ALL_MEMBERS
    template_name = "icp/emergency/incident_list.html"
    search_fields = ("reference", "title", "description")
    export_filename = "incidents"
    export_columns = (
        (gettext_lazy("Reference"), "reference"),
        (gettext_lazy("Title"), "title"),
        (gettext_lazy("Scenario"), "get_scenario_display"),
        (gettext_lazy("Severity"), "get_severity_display"),
        (gettext_lazy("Status"), "get_status_display"),
        (gettext_lazy("Reported"), "reported_at"),
        (gettext_lazy("Owner"), "owner"),
        (gettext_lazy("Reported to MOFCOM on"), "mofcom_reported_on"),
        (gettext_lazy("MOFCOM reference"), "mofcom_reference"),
        (gettext_lazy("Closed"), "closed_at"),
    )

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("owner")
        if self.membership.role not in roles.PROGRAMME_READERS:
            # Staff follow only the concerns they reported under their own name.
            queryset = queryset.filter(reported_by=self.request.user)
        status = self.request.GET.get("status")
        if status in Incident.Status.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, statuses=Incident.Status.choices, status=self.request.GET.get("status", "")
        )


@organisation_required()
def incident_report(request):
    form = IncidentReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                incident = services.incident_report(
                    membership=request.membership,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    scenario=form.cleaned_data["scenario"],
                    anonymous=form.cleaned_data["anonymous"],
                )
                if form.cleaned_data["evidence"]:
                    document_attach(
                        organisation=request.organisation,
                        user=None if form.cleaned_data["anonymous"] else request.user,
                        target=incident,
                        upload=form.cleaned_data["evidence"],
                        document_type="evidence",
                    )
        except ValidationError as error:
            _form_errors(request, error)
        else:
            if form.cleaned_data["anonymous"]:
                # The receipt code is shown once, on this page only.
                return render(
                    request,
                    "icp/emergency/incident_receipt.html",
                    {"incident": incident, "code": incident.receipt_code},
                )
            messages.success(
                request,
                _("Thank you. Your report %(reference)s has reached the compliance team.")
                % {"reference": incident.reference},
            )
            if request.membership.role in roles.PROGRAMME_READERS:
                return redirect(incident)
            return redirect("icp:incident_list")
    return render(request, "icp/emergency/incident_report.html", {"form": form})


@require_http_methods(["GET", "POST"])
def incident_follow(request):
    """Login-free: the reporter of an anonymous concern follows it with the receipt code (sent
    by POST, never in a URL). A 100-bit code cannot be guessed; nothing says who reported."""
    form = ReceiptForm(request.POST or None)
    incident, replies, not_found = None, [], False
    if request.method == "POST" and rate_limit_exceeded(
        scope="incident_follow",
        client=client_ip(request),
        limit=settings.ICP_INCIDENT_FOLLOW_PER_HOUR,
        window=FOLLOW_WINDOW_SECONDS,
    ):
        # Codes cannot be guessed, but nobody may try thousands: the code is not looked up.
        form = ReceiptForm()
        response = render(
            request,
            "icp/emergency/incident_follow.html",
            {"form": form, "too_many": True, "incident": None, "replies": [], "not_found": False},
        )
        response.status_code = 429
        return response
    if request.method == "POST" and form.is_valid():
        incident = incident_by_receipt(code=form.cleaned_data["code"])
        if incident is None:
            not_found = True
        else:
            replies = list(replies_to_reporter(incident=incident))
    return render(
        request,
        "icp/emergency/incident_follow.html",
        {"form": form, "incident": incident, "replies": replies, "not_found": not_found},
    )


def _incident_for(request, pk) -> Incident:
    incident = incident_get(organisation=request.organisation, pk=pk)
    # Staff see a concern they reported under their name, or one with an action they own.
    readable = (
        request.membership.role in roles.PROGRAMME_READERS
        or incident.reported_by_id == request.user.pk
        or incident.actions.filter(owner=request.user).exists()
    )
    if not readable:
        raise Http404
    return incident


@organisation_required()
def incident_detail(request, pk):
    return _render_detail(request, _incident_for(request, pk))


def _render_detail(request, incident, **bound_forms):
    """The incident page; `bound_forms` replace the empty forms (a form that failed keeps what
    the user typed and shows its errors)."""
    editable = request.membership.role in roles.PROGRAMME_EDITORS and incident.is_open
    organisation = request.organisation
    context = {
        "incident": incident,
        "events": incident.events.select_related("actor"),
        "actions": incident.actions.select_related("owner"),
        "linked_transactions": incident.transactions.order_by("reference"),
        "editable": editable,
        "is_reader": request.membership.role in roles.PROGRAMME_READERS,
        "letter_available": incident.scenario in plan_templates(),
    }
    if editable:
        context.update(
            triage_form=IncidentTriageForm(
                organisation=organisation,
                initial={
                    "severity": incident.severity or Incident.Severity.MEDIUM,
                    "scenario": incident.scenario,
                    "owner": incident.owner_id or request.user.pk,
                    "response_plan": incident.response_plan_id,
                },
            ),
            note_form=IncidentNoteForm(),
            mofcom_form=MofcomReportForm(),
            action_form=IncidentActionForm(organisation=organisation),
            close_form=IncidentCloseForm(),
        )
    if incident.is_open:
        context["done_form"] = ActionDoneForm()
    context.update(bound_forms)
    return render(request, "icp/emergency/incident_detail.html", context)


def _incident_action(form_name, form_class, *, with_organisation=False):
    """POST handler on an incident: validate the form, call the service, report the outcome.
    On an error the page is shown again with the form as typed and its errors in place."""

    def decorate(handler):
        @require_POST
        @organisation_required(roles=roles.PROGRAMME_EDITORS)
        def view(request, pk):
            incident = _incident_for(request, pk)
            extra = {"organisation": request.organisation} if with_organisation else {}
            form = form_class(request.POST, **extra)
            try:
                handler(request, incident, form)
            except ValidationError as error:
                if not form.errors:  # the service's error, not the form's own
                    add_service_errors(form, error)
                return _render_detail(request, incident, **{form_name: form})
            except PermissionDenied as error:
                messages.error(request, str(error) or _("You may not do this."))
            return redirect(incident)

        view.__name__ = handler.__name__
        return view

    return decorate


def _valid(form):
    """The form's cleaned data, or a ValidationError naming each field's problem."""
    if form.is_valid():
        return form.cleaned_data
    problems = [
        labelled(form.fields[name].label, " ".join(errors))
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    ]
    raise ValidationError(problems)


@_incident_action("triage_form", IncidentTriageForm, with_organisation=True)
def incident_triage(request, incident, form):
    data = _valid(form)
    services.incident_triage(membership=request.membership, incident=incident, **data)
    messages.success(request, _("Incident triaged."))


@_incident_action("note_form", IncidentNoteForm)
def incident_note(request, incident, form):
    data = _valid(form)
    if data.get("to_reporter"):
        services.incident_reply(membership=request.membership, incident=incident, text=data["text"])
        messages.success(request, _("Reply added: the reporter sees it on the follow-up page."))
        return
    services.incident_add_note(membership=request.membership, incident=incident, text=data["text"])
    messages.success(request, _("Note added to the timeline."))


@_incident_action("mofcom_form", MofcomReportForm)
def incident_mofcom_report(request, incident, form):
    data = _valid(form)
    services.incident_record_mofcom_report(membership=request.membership, incident=incident, **data)
    messages.success(request, _("The report to MOFCOM is recorded."))


@_incident_action("action_form", IncidentActionForm, with_organisation=True)
def incident_action_add(request, incident, form):
    data = _valid(form)
    services.incident_add_action(membership=request.membership, incident=incident, **data)
    messages.success(request, _("Corrective action added."))


@_incident_action("link_transaction_form", LinkTransactionForm)
def incident_link_transaction(request, incident, form):
    data = _valid(form)
    found = services.incident_link_transaction(
        membership=request.membership, incident=incident, reference=data["reference"]
    )
    messages.success(
        request, _("Transaction %(reference)s linked.") % {"reference": found.reference}
    )


@_incident_action("stop_shipment_form", StopShipmentForm)
def incident_stop_shipment(request, incident, form):
    data = _valid(form)
    held = services.incident_stop_shipment(
        membership=request.membership, incident=incident, reason=data["reason"]
    )
    messages.warning(
        request,
        ngettext(
            "Shipment stopped: %(count)d transaction on hold.",
            "Shipment stopped: %(count)d transactions on hold.",
            len(held),
        )
        % {"count": len(held)},
    )


@_incident_action("close_form", IncidentCloseForm)
def incident_close(request, incident, form):
    data = _valid(form)
    services.incident_close(membership=request.membership, incident=incident, **data)
    messages.success(request, _("Incident closed."))


@require_POST
@organisation_required()
def incident_action_done(request, pk, action_pk):
    incident = _incident_for(request, pk)
    action = incident_action_get(incident=incident, pk=action_pk)
    form = ActionDoneForm(request.POST)
    try:
        data = _valid(form)
        services.incident_complete_action(
            membership=request.membership, action=action, note=data["note"]
        )
    except ValidationError as error:
        shows_form = (
            incident.is_open
            and not action.is_done
            and (
                request.membership.role in roles.PROGRAMME_EDITORS
                or action.owner_id == request.user.pk
            )
        )
        if not shows_form:  # the page has no form for this action: say it in a message
            _form_errors(request, error)
            return redirect(incident)
        if not form.errors:  # the service's error, not the form's own
            add_service_errors(form, error)
        # Shown again with the note as typed under the action it belongs to.
        return _render_detail(request, incident, done_form=form, done_action_pk=action.pk)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Corrective action completed."))
    return redirect(incident)


class ResponsePlanListView(ScopedListView):
    model = ResponsePlan
    roles = roles.PROGRAMME_READERS
    template_name = "icp/emergency/plan_list.html"
    search_fields = ("title_zh", "title_en", "steps_zh", "steps_en")
    export_filename = "response-plans"
    export_columns = (
        (gettext_lazy("Scenario"), "get_scenario_display"),
        (gettext_lazy("Title (Chinese)"), "title_zh"),
        (gettext_lazy("Title (English)"), "title_en"),
        (gettext_lazy("Legal basis"), "legal_basis"),
        (gettext_lazy("Owner"), "owner"),
        (gettext_lazy("Review due"), "review_due"),
    )

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        covered = response_plan_scenarios(organisation=self.organisation)
        context["plan_templates"] = [
            (template, template.scenario in covered) for template in plan_templates().values()
        ]
        return context


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def plan_from_template(request, scenario):
    """A response plan from the template of an incident type involving customs or MOFCOM."""
    try:
        plan = response_plan_from_template(membership=request.membership, scenario=scenario)
    except ValidationError as error:
        _form_errors(request, error)
        return redirect("icp:plan_list")
    messages.success(
        request, _("Response plan created from the template. Add contacts and escalation.")
    )
    return redirect(plan)


@organisation_required(roles=roles.PROGRAMME_READERS)
def plan_detail(request, pk):
    plan = response_plan_get(organisation=request.organisation, pk=pk)
    template = plan_templates().get(plan.scenario)
    return render(
        request,
        "icp/emergency/plan_detail.html",
        {"plan": plan, "library_notes": template.library_notes if template else ()},
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def incident_letter_view(request, pk):
    """The Chinese letter or report of the incident's type, filled from the record (with an
    English working translation), for the compliance manager to check, sign and send."""
    incident = _incident_for(request, pk)
    template = plan_templates().get(incident.scenario)
    if template is None:
        raise Http404
    return render(
        request,
        "icp/emergency/incident_letter.html",
        {
            "incident": incident,
            "letter_zh": incident_letter(incident=incident, chinese=True),
            "letter_en": incident_letter(incident=incident, chinese=False),
            "library_notes": template.library_notes,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def plan_edit(request, pk=None):
    plan = (
        response_plan_get(organisation=request.organisation, pk=pk)
        if pk
        else ResponsePlan(organisation=request.organisation)
    )
    form = ResponsePlanForm(request.POST or None, instance=plan, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.response_plan_save(
                membership=request.membership, plan=form.save(commit=False)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Response plan saved."))
            return redirect(plan)
    return render(request, "icp/emergency/plan_form.html", {"form": form, "plan": plan})
