"""The item master and the items' classification (and enquiries to MOFCOM)."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from core.lists import ScopedListView
from trade.forms_items import ConsultationAnswerForm, ConsultationForm
from trade.forms_transactions import ClassificationForm, ItemForm
from trade.models import Classification, Item
from trade.models.control_list import STARTER_SET_LABEL
from trade.selectors_items import consultation_get, customs_catalogue_match, item_consultations
from trade.selectors_transactions import (
    classification_get,
    control_list_search,
    item_classifications,
    item_get,
)
from trade.services.item import (
    classification_review,
    consultation_open,
    consultation_settle,
    item_catalogue_warning,
    item_classify,
    item_create,
    item_update,
)


class ItemFilter(django_filters.FilterSet):
    classification = django_filters.ChoiceFilter(
        label=gettext_lazy("Classification"),
        choices=(
            ("unclassified", gettext_lazy("Not classified")),
            ("listed", gettext_lazy("Listed")),
            ("not_listed", gettext_lazy("Not listed")),
            ("consult_mofcom", gettext_lazy("Unsure: consult MOFCOM")),
        ),
        method="filter_classification",
    )

    class Meta:
        model = Item
        fields = ["classification", "is_active"]

    def filter_classification(self, queryset, name, value):
        if value == "unclassified":
            return queryset.filter(current_classification__isnull=True)
        return queryset.filter(current_classification__status=value)


class ItemListView(ScopedListView):
    model = Item
    roles = roles.ALL_MEMBERS
    template_name = "trade/item/list.html"
    filterset_class = ItemFilter
    search_fields = (
        "name",
        "name_en",
        "model_number",
        "reference",
        "hs_code",
        "current_classification__control_code",
    )
    export_filename = "items"
    export_columns = (
        (gettext_lazy("Product"), "name"),
        (gettext_lazy("Product (English)"), "name_en"),
        (gettext_lazy("Model"), "model_number"),
        (gettext_lazy("Item number"), "reference"),
        (gettext_lazy("HS code"), "hs_code"),
        (gettext_lazy("Classification"), lambda item: str(item.current_classification or "")),
        (gettext_lazy("Key technical parameters"), "technical_parameters"),
    )

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("current_classification")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, can_draft=self.membership.role in roles.TRANSACTION_DRAFTERS
        )


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def item_create_view(request):
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = item_create(
                organisation=request.organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Item added. Classify it now."))
            return redirect("transactions:item_classify", item.pk)
    return render(request, "trade/item/form.html", {"form": form})


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def item_edit(request, pk):
    item = item_get(organisation=request.organisation, pk=pk)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = item_get(organisation=request.organisation, pk=pk)
        try:
            item_update(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Item saved."))
            return redirect(item)
    return render(request, "trade/item/form.html", {"form": form, "item": item})


@organisation_required(roles=roles.ALL_MEMBERS)
def item_detail(request, pk):
    item = item_get(organisation=request.organisation, pk=pk)
    consultations = list(item_consultations(item=item))
    return render(
        request,
        "trade/item/detail.html",
        {
            "item": item,
            "object": item,
            "classifications": item_classifications(item=item),
            "consultations": consultations,
            "open_consultation": next((c for c in consultations if not c.is_settled), None),
            "catalogue_warning": item_catalogue_warning(item=item),
            "can_draft": request.membership.role in roles.TRANSACTION_DRAFTERS,
            "can_review": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def item_classify_view(request, pk):
    item = item_get(organisation=request.organisation, pk=pk)
    current = item.current_classification
    initial = {
        "status": Classification.Status.NOT_LISTED,
        "catch_all": Classification.CatchAll.NO_CONCERN,
    }
    if current:
        initial = {
            "status": current.status,
            "control_code": current.control_code,
            "catch_all": current.catch_all,
        }
    catalogue_entry = customs_catalogue_match(
        organisation=request.organisation, hs_code=item.hs_code
    )
    form = ClassificationForm(
        request.POST or None, initial=initial, catalogue_entry=catalogue_entry
    )
    if request.method == "POST" and form.is_valid():
        try:
            item_classify(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Classification recorded."))
            return redirect(item)
    query = request.GET.get("q", "").strip()
    entries = (
        control_list_search(organisation=request.organisation, query=query)[:20] if query else []
    )
    return render(
        request,
        "trade/item/classify.html",
        {
            "item": item,
            "form": form,
            "query": query,
            "entries": entries,
            "starter_label": STARTER_SET_LABEL,
            "catalogue_entry": catalogue_entry,
        },
    )


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def item_consult_view(request, pk):
    """Record an enquiry to MOFCOM; the item is classified 'consult MOFCOM' meanwhile."""
    item = item_get(organisation=request.organisation, pk=pk)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation_open(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Enquiry recorded. The item cannot be approved for export until the "
                    "answer is recorded."
                ),
            )
            return redirect(item)
    return render(request, "trade/item/consult.html", {"item": item, "form": form})


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def consultation_answer_view(request, pk, consultation_pk):
    item = item_get(organisation=request.organisation, pk=pk)
    consultation = consultation_get(
        organisation=request.organisation, item=item, pk=consultation_pk
    )
    form = ConsultationAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation_settle(consultation=consultation, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("MOFCOM's answer recorded and the item classified."))
            return redirect(item)
    return render(
        request,
        "trade/item/consult.html",
        {"item": item, "form": form, "consultation": consultation},
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def classification_review_view(request, pk, classification_pk):
    item = item_get(organisation=request.organisation, pk=pk)
    classification = classification_get(
        organisation=request.organisation, item=item, pk=classification_pk
    )
    try:
        classification_review(classification=classification, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Classification reviewed."))
    return redirect(item)
