"""Disposal: the schedule of records past retention, proposals, approval and rejection."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors

from ..forms import OptionalNoteForm, ReasonForm
from ..models import DisposalRequest
from ..selectors import disposal_get, disposals_of, retained_chosen, with_state
from ..services import disposal as disposal_services
from .common import error_message


@organisation_required(roles=roles.PROGRAMME_READERS)
def disposal_schedule(request):
    return _render_disposal_schedule(request)


def _render_disposal_schedule(request, form=None, chosen=()):
    schedule = disposal_services.disposal_schedule(organisation=request.organisation)
    rows = list(schedule.select_related("parent")[:500])
    return render(
        request,
        "records/disposal_schedule.html",
        {
            "rows": rows,
            "total": schedule.count(),
            "form": form or OptionalNoteForm(),
            "chosen": {str(pk) for pk in chosen},
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def disposal_propose(request):
    chosen = request.POST.getlist("item")
    form = OptionalNoteForm(request.POST)
    if form.is_valid():
        items = retained_chosen(organisation=request.organisation, pks=chosen)
        try:
            disposal = disposal_services.disposal_propose(
                membership=request.membership, items=items, reason=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Disposal proposed. Management must approve it."))
            return redirect(disposal)
    # Shown again with the records still chosen, the reason as typed and what is wrong.
    return _render_disposal_schedule(request, form=form, chosen=chosen)


@organisation_required(roles=roles.PROGRAMME_READERS)
def disposal_list(request):
    return render(
        request,
        "records/disposal_list.html",
        {"disposals": disposals_of(organisation=request.organisation)},
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def disposal_detail(request, pk):
    return _render_disposal_detail(request, disposal_get(organisation=request.organisation, pk=pk))


def _can_decide(request, disposal) -> bool:
    return (
        request.membership.role in roles.APPROVERS
        and disposal.proposed_by_id != request.user.pk
        and disposal.status == DisposalRequest.Status.PROPOSED
    )


def _render_disposal_detail(request, disposal, approve_form=None, reject_form=None):
    context = {
        "disposal": disposal,
        "items": with_state(disposal.items.all()).select_related("parent").order_by("pk"),
        "records": disposal.disposal_records.select_related("approved_by", "proposed_by"),
        "can_decide": _can_decide(request, disposal),
        "approve_form": approve_form or OptionalNoteForm(),
        "reject_form": reject_form or ReasonForm(),
    }
    return render(request, "records/disposal_detail.html", context)


@require_POST
@organisation_required(roles=roles.APPROVERS)
def disposal_approve(request, pk):
    disposal = disposal_get(organisation=request.organisation, pk=pk)
    form = OptionalNoteForm(request.POST)
    if not form.is_valid():
        # Shown again with the note as typed and what is wrong with it.
        return _render_disposal_detail(request, disposal, approve_form=form)
    try:
        disposal_services.disposal_approve(
            membership=request.membership, request=disposal, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        if _can_decide(request, disposal):
            add_service_errors(form, error)
            return _render_disposal_detail(request, disposal, approve_form=form)
        error_message(request, error)  # e.g. decided meanwhile: the page has no form
    else:
        summary = disposal_services.disposal_outcome_summary(request=disposal)
        if not summary["kept"]:
            messages.success(request, _("Disposal approved. The records have been destroyed."))
        else:
            # A record kept under a legal hold must never be reported as destroyed.
            messages.warning(
                request,
                ngettext(
                    "Disposal approved: %(destroyed)d destroyed, %(kept)d record kept. Why: "
                    "%(reasons)s",
                    "Disposal approved: %(destroyed)d destroyed, %(kept)d records kept. Why: "
                    "%(reasons)s",
                    summary["kept"],
                )
                % {
                    "destroyed": summary["destroyed"],
                    "kept": summary["kept"],
                    "reasons": " ".join(summary["kept_reasons"]),
                },
            )
    return redirect(disposal)


@require_POST
@organisation_required(roles=roles.APPROVERS)
def disposal_reject(request, pk):
    disposal = disposal_get(organisation=request.organisation, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            disposal_services.disposal_reject(
                membership=request.membership, request=disposal, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            if not _can_decide(request, disposal):
                error_message(request, error)  # e.g. decided meanwhile: the page has no form
                return redirect(disposal)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Disposal rejected. Nothing was destroyed."))
            return redirect(disposal)
    # Shown again with the reason as typed and what is wrong with it.
    return _render_disposal_detail(request, disposal, reject_form=form)
