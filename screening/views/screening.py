import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from core.lists import ScopedListView
from screening.engine import DEFAULT_THRESHOLD
from screening.forms import AdjudicationForm, ScreenForm, ScreeningSettingsForm
from screening.models import HitDecision, Screening
from screening.reasons import reason_kind, reason_text
from screening.selectors import (
    hit_get,
    hit_is_decided,
    screening_get,
    screening_hits,
    screening_settings_get,
    screenings_with_counts,
)
from screening.services.index import current_versions
from screening.services.screening import alert_hits_open, hit_adjudicate, screening_run


def _hit_rows(hits):
    rows = []
    for hit in hits:
        try:
            adjudication = hit.adjudication
        except hit._meta.get_field("adjudication").related_model.DoesNotExist:
            adjudication = None
        rows.append(
            {
                "hit": hit,
                "adjudication": adjudication,
                "reasons": [{"text": reason_text(r), "kind": reason_kind(r)} for r in hit.reasons],
                "needs_decision": hit.decision != HitDecision.CLEAR
                and adjudication is None
                and hit.remembered_id is None,
            }
        )
    return rows


@organisation_required(roles=roles.ALL_MEMBERS)
def screen(request):
    """Ms Chen's screening page: type a name in any script, see the hits and why; beside it,
    the hits waiting for her decision."""
    organisation = request.organisation
    can_screen = request.membership.role in roles.SCREENERS
    if request.method == "POST" and not can_screen:
        raise PermissionDenied
    form = ScreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            screening = screening_run(
                organisation=organisation,
                names=[data["name"], data["name_latin"]],
                country=data["country"] or "",
                address=data["address"],
                source=Screening.Source.PAGE,
                user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(screening)
    is_reader = request.membership.role in roles.PROGRAMME_READERS
    queue = alert_hits_open(organisation) if is_reader else None
    return render(
        request,
        "screening/screen.html",
        {
            "form": form,
            "versions": current_versions(organisation),
            "queue_count": queue.count() if queue is not None else None,
            "queue": list(queue[:10]) if queue is not None else [],
            "is_reader": is_reader,
            "is_manager": request.membership.role in roles.PROGRAMME_EDITORS,
            "can_screen": can_screen,
        },
    )


@organisation_required(roles=roles.ALL_MEMBERS)
def screening_detail(request, pk):
    return _render_screening_detail(request, screening_get(membership=request.membership, pk=pk))


def _render_screening_detail(request, screening, adjudication_form=None, failed_hit_pk=None):
    """The screening's page; after a failed decision, `adjudication_form` is shown again under
    hit `failed_hit_pk` with what was chosen and typed and what is wrong."""
    hits = _hit_rows(screening_hits(screening))
    return render(
        request,
        "screening/screening_detail.html",
        {
            "screening": screening,
            "rows": hits,
            "versions": screening.list_versions.select_related("screening_list").order_by(
                "screening_list__code"
            ),
            "can_adjudicate": request.membership.role in roles.PROGRAMME_EDITORS,
            "adjudication_form": adjudication_form or AdjudicationForm(),
            "failed_hit_pk": failed_hit_pk,
            "alerts": [row for row in hits if row["hit"].decision != HitDecision.CLEAR],
            "informational": [row for row in hits if row["hit"].decision == HitDecision.CLEAR],
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def hit_adjudicate_view(request, pk):
    hit = hit_get(organisation=request.organisation, pk=pk)
    form = AdjudicationForm(request.POST)
    if form.is_valid():
        try:
            hit_adjudicate(
                hit=hit,
                organisation=request.organisation,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if hit_is_decided(hit=hit):  # decided meanwhile: no form
                messages.error(request, " ".join(exc.messages))
                return redirect(hit.get_absolute_url())
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(hit.get_absolute_url())
    # The screening is shown again with the decision and reason as typed under the hit.
    screening = screening_get(membership=request.membership, pk=hit.screening_id)
    return _render_screening_detail(
        request, screening, adjudication_form=form, failed_hit_pk=hit.pk
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def queue(request):
    hits = alert_hits_open(request.organisation)
    return render(
        request,
        "screening/queue.html",
        {
            "rows": _hit_rows(hits[:200]),
            "total": hits.count(),
            "can_adjudicate": request.membership.role in roles.PROGRAMME_EDITORS,
            "adjudication_form": AdjudicationForm(),
        },
    )


class ScreeningFilter(django_filters.FilterSet):
    decision = django_filters.ChoiceFilter(
        label=gettext_lazy("Result"), choices=HitDecision.choices
    )
    source = django_filters.ChoiceFilter(
        label=gettext_lazy("Source"), choices=Screening.Source.choices
    )
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=gettext_lazy("From")
    )

    class Meta:
        model = Screening
        fields = ["decision", "source"]


class ScreeningHistoryView(ScopedListView):
    model = Screening
    roles = roles.PROGRAMME_READERS
    template_name = "screening/screening_list.html"
    filterset_class = ScreeningFilter
    search_fields = ("query_name", "query_address", "party__name", "party__name_latin")
    export_filename = "screenings"
    export_columns = (
        (gettext_lazy("Screened"), "created_at"),
        (gettext_lazy("Name"), "query_name"),
        (gettext_lazy("Country"), "query_country"),
        (gettext_lazy("Result"), "get_decision_display"),
        (gettext_lazy("Hits"), "hit_count"),
        (gettext_lazy("Source"), "get_source_display"),
        (gettext_lazy("Requested by"), "requested_by"),
    )

    def get_base_queryset(self):
        # Aggregation drops Meta.ordering: order explicitly so pages never overlap.
        return screenings_with_counts(organisation=self.organisation).order_by("-created_at", "-pk")


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def settings_view(request):
    instance = screening_settings_get(organisation=request.organisation)
    form = ScreeningSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Screening settings saved. They apply to the next screening."))
        return redirect("screening:settings")
    return render(
        request, "screening/settings.html", {"form": form, "default_threshold": DEFAULT_THRESHOLD}
    )
