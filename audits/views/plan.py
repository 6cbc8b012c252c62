"""E7 the annual audit plan: entries and starting an audit from one."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from audits import selectors
from audits.forms import (
    PlanEntryForm,
)
from audits.services import audits as audit_services
from audits.views.common import error_message, is_auditor
from core.forms import add_service_errors
from core.http import int_param


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
            "is_auditor": is_auditor(request),
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
        error_message(request, error)
        return redirect("audits:plan")
    messages.success(request, _("Audit %(ref)s created from the plan.") % {"ref": audit.reference})
    return redirect(audit)
