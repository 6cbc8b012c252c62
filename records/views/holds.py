"""Legal holds: opening one, adding and removing records, releasing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors

from ..forms import LegalHoldForm, ReasonForm
from ..selectors import (
    hold_candidates,
    hold_get,
    hold_item_get,
    hold_items,
    holds_of,
    retained_chosen,
)
from ..services import holds as hold_services
from .common import error_message


@organisation_required(roles=roles.PROGRAMME_READERS)
def hold_list(request):
    return render(
        request, "records/hold_list.html", {"holds": holds_of(organisation=request.organisation)}
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def hold_create(request):
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hold = hold_services.hold_place(
                membership=request.membership,
                kind=form.cleaned_data["kind"],
                reference=form.cleaned_data["reference"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, _("Legal hold placed. Now add the records it covers."))
            return redirect(hold)
    return render(request, "records/hold_form.html", {"form": form})


@organisation_required(roles=roles.PROGRAMME_READERS)
def hold_detail(request, pk):
    return _render_hold_detail(request, hold_get(organisation=request.organisation, pk=pk))


def _render_hold_detail(request, hold, release_form=None):
    query = request.GET.get("q", "").strip()
    candidates = []
    if query and hold.is_active and request.membership.role in roles.PROGRAMME_EDITORS:
        candidates = hold_candidates(
            organisation=request.organisation, query=query, exclude_hold=hold
        )
    context = {
        "hold": hold,
        "items": hold_items(hold=hold),
        "query": query,
        "candidates": candidates,
        "release_form": release_form or ReasonForm(),
    }
    return render(request, "records/hold_detail.html", context)


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def hold_add(request, pk):
    hold = hold_get(organisation=request.organisation, pk=pk)
    items = retained_chosen(organisation=request.organisation, pks=request.POST.getlist("item"))
    try:
        hold_services.hold_add_items(membership=request.membership, hold=hold, items=items)
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(request, _("Records added to the hold."))
    return redirect(hold)


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def hold_remove(request, pk, item_pk):
    hold = hold_get(organisation=request.organisation, pk=pk)
    item = hold_item_get(hold=hold, pk=item_pk)
    try:
        hold_services.hold_remove_item(membership=request.membership, hold=hold, item=item)
    except ValidationError as error:
        error_message(request, error)
    return redirect(hold)


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def hold_release(request, pk):
    hold = hold_get(organisation=request.organisation, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            hold_services.hold_release(
                membership=request.membership, hold=hold, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            if not hold.is_active:  # released meanwhile: the page no longer has the form
                error_message(request, error)
                return redirect(hold)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Legal hold released."))
            return redirect(hold)
    # Shown again with the reason as typed and what is wrong with it.
    return _render_hold_detail(request, hold, release_form=form)
