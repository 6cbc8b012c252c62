"""The party register's pages: the list (search, filters, CSV/XLSX export), a party, its form, the
import from a spreadsheet, screening one party now and re-screening all of them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.import_views import register_import
from core.imports import template_response
from core.lists import ScopedListView
from screening.filters import PartyFilter
from screening.forms_parties import PartyForm, PartyImportForm
from screening.jobs import rescreen_enqueue
from screening.models import Party
from screening.selectors_parties import party_get, party_recent_screenings
from screening.services.parties import (
    party_create,
    party_import,
    party_import_preview,
    party_screen,
    party_update,
)


class PartyListView(ScopedListView):
    model = Party
    roles = roles.ALL_MEMBERS
    template_name = "screening/parties/list.html"
    filterset_class = PartyFilter
    search_fields = ("name", "name_latin", "reference", "address")
    export_filename = "parties"
    export_columns = (
        (gettext_lazy("Name"), "name"),
        (gettext_lazy("Name (Latin script)"), "name_latin"),
        (gettext_lazy("Type"), "get_party_type_display"),
        (gettext_lazy("Country"), "country.code"),
        (gettext_lazy("Address"), "address"),
        (gettext_lazy("Customer or supplier number"), "reference"),
        (gettext_lazy("Screening"), "get_screening_status_display"),
        (gettext_lazy("Last screened"), "last_screened_at"),
        (gettext_lazy("Active"), "is_active"),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.membership.role in roles.SCREENERS
        context["can_manage"] = self.membership.role in roles.PROGRAMME_EDITORS
        return context


@organisation_required(roles=roles.ALL_MEMBERS)
def party_detail(request, pk):
    party = party_get(organisation=request.organisation, pk=pk)
    screenings = party_recent_screenings(party=party)
    return render(
        request,
        "screening/parties/detail.html",
        {
            "party": party,
            "object": party,
            "screenings": screenings,
            "can_edit": request.membership.role in roles.SCREENERS,
            "can_see_screenings": request.membership.role in roles.PROGRAMME_READERS,
        },
    )


def _apply_errors(form, exc):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@organisation_required(roles=roles.SCREENERS)
def party_create_view(request):
    form = PartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in PartyForm.Meta.fields}
        try:
            party = party_create(organisation=request.organisation, user=request.user, **values)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Party saved and screened."))
            return redirect(party)
    return render(request, "screening/parties/form.html", {"form": form})


@organisation_required(roles=roles.SCREENERS)
def party_edit(request, pk):
    party = party_get(organisation=request.organisation, pk=pk)
    form = PartyForm(request.POST or None, instance=party)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in PartyForm.Meta.fields}
        party.refresh_from_db()  # the form wrote into the instance; the service compares
        try:
            party_update(party=party, user=request.user, **values)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Party saved."))
            return redirect(party)
    return render(request, "screening/parties/form.html", {"form": form, "party": party})


@require_POST
@organisation_required(roles=roles.SCREENERS)
def party_screen_now(request, pk):
    party = party_get(organisation=request.organisation, pk=pk)
    screening = party_screen(party=party, user=request.user)
    messages.success(
        request, _("Screened: %(result)s.") % {"result": screening.get_decision_display()}
    )
    if request.membership.role in roles.PROGRAMME_READERS:
        return redirect(screening)
    return redirect(party)


PARTY_IMPORT_KIND = "parties"


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def party_import_view(request):
    """Upload a file for its preview (nothing written); the preview's confirmation imports
    exactly that file."""
    if request.GET.get("template"):
        return template_response(
            stem="parties",
            columns=["name", "name_latin", "party_type", "country", "address", "reference"],
            example=["海湾贸易有限公司", "Gulf Trading LLC", "customer", "AE", "Dubai", "C-0001"],
            file_format=request.GET["template"],
        )
    return register_import(
        request,
        kind=PARTY_IMPORT_KIND,
        form_class=PartyImportForm,
        template="screening/parties/import.html",
        preview_service=party_import_preview,
        import_service=party_import,
        imported=lambda outcome: _parties_imported(request, outcome),
        changed_message=_(
            "The party register changed since the preview, so nothing was imported: "
            "upload the file again to see what it would change now."
        ),
    )


def _parties_imported(request, outcome):
    """The imported file's outcome, and on to the register."""
    messages.success(
        request,
        _(
            "%(created)d parties added, %(updated)d updated, %(unchanged)d unchanged. "
            "Screening runs in the background."
        )
        % {
            "created": len(outcome.created),
            "updated": len(outcome.updated),
            "unchanged": outcome.unchanged,
        },
    )
    return redirect("parties:list")


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def party_rescreen_all(request):
    job = rescreen_enqueue(
        organisation=request.organisation, user=request.user, reason=_("started by hand")
    )
    return redirect(job)
