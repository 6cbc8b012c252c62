"""The records overview, the retained records and the retention rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from core.lists import ScopedListView

from ..filters import RetainedRecordFilter
from ..forms import RetentionRuleForm
from ..models import DisposalRequest, RetainedRecord
from ..selectors import (
    disposals_of,
    event_log_count,
    events_of_record,
    holds_of,
    record_type_name,
    retained_get,
    retained_labels,
    retained_list,
    retention_counts,
    rule_get,
    rules_of,
    with_state,
)
from ..services import disposal as disposal_services
from ..services.retention import retention_rule_delete, retention_rule_save
from ..subjects import ACCOUNTING_RECORDS_NOTE, retention_basis
from ..templatetags.records_tags import document_type_label


@organisation_required(roles=roles.PROGRAMME_READERS)
def overview(request):
    organisation = request.organisation
    context = {
        "counts": retention_counts(organisation=organisation),
        "holds": holds_of(organisation=organisation).filter(released_at__isnull=True)[:5],
        "pending_disposals": disposals_of(organisation=organisation).filter(
            status=DisposalRequest.Status.PROPOSED
        ),
        "schedule_count": disposal_services.disposal_schedule(organisation=organisation).count(),
        "rules": rules_of(organisation=organisation),
        "event_count": event_log_count(organisation=organisation),
        "accounting_note": ACCOUNTING_RECORDS_NOTE,
    }
    return render(request, "records/overview.html", context)


class RetainedRecordListView(ScopedListView):
    model = RetainedRecord
    roles = roles.PROGRAMME_READERS
    template_name = "records/retained_list.html"
    filterset_class = RetainedRecordFilter
    search_fields = ("title", "parent__title", "object_id")
    export_filename = "retention"
    export_columns = (
        (gettext_lazy("Record"), "label"),
        (gettext_lazy("Record type"), lambda row: record_type_name(row.record_type)),
        (gettext_lazy("Document type"), lambda row: document_type_label(row.document_type)),
        (gettext_lazy("Belongs to"), "parent.label"),
        (gettext_lazy("Created"), "created_at"),
        (gettext_lazy("Ended"), "ended_at"),
        (gettext_lazy("Counted from"), "get_start_event_display"),
        (gettext_lazy("Years kept"), "years"),
        (gettext_lazy("Retained until"), "retained_until"),
        (gettext_lazy("State"), lambda row: row.get_state_label()),
    )

    def get_base_queryset(self):
        return retained_list(organisation=self.organisation).order_by("retained_until", "pk")

    def prepare_export_rows(self, rows: list) -> list:
        return retained_labels(rows)  # the names the page shows, in the reader's language

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each record named as it is now, in the reader's language (the stored title otherwise).
        context["object_list"] = retained_labels(context["object_list"])
        return context


@organisation_required(roles=roles.PROGRAMME_READERS)
def retained_detail(request, pk):
    try:
        retained = retained_get(organisation=request.organisation, pk=pk)
    except RetainedRecord.DoesNotExist as exc:
        raise Http404 from exc
    target = None
    model = retained.content_type.model_class()
    if retained.disposed_at is None and model is not None:
        target = model._base_manager.filter(pk=retained.object_id).first()
    retained_labels([retained])
    context = {
        "retained": retained,
        "record_type": record_type_name(retained.record_type),
        "basis": retention_basis(
            record_type=retained.record_type, document_type=retained.document_type
        ),
        "target": target,
        "target_url": getattr(target, "get_absolute_url", lambda: "")() if target else "",
        "holds": retained.holds.select_related("placed_by"),
        "parent_holds": retained.parent.holds.all() if retained.parent_id else [],
        "documents": with_state(retained.documents.all()).order_by("created_at"),
        "events": events_of_record(
            organisation=request.organisation,
            record_type=retained.record_type,
            object_id=retained.object_id,
        ),
        "disposal_records": retained.disposal_records.select_related("approved_by"),
    }
    return render(request, "records/retained_detail.html", context)


@organisation_required(roles=roles.PROGRAMME_READERS)
def rule_list(request):
    rules = list(rules_of(organisation=request.organisation))
    for rule in rules:
        rule.record_type_name = (
            record_type_name(rule.record_type) if rule.record_type else _("Every record type")
        )
    return render(request, "records/rule_list.html", {"rules": rules})


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def rule_edit(request, pk=None):
    rule = None
    if pk is not None:
        rule = rule_get(organisation=request.organisation, pk=pk)
    form = RetentionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and rule is not None and form.is_valid() and not form.has_changed():
        messages.info(request, _("Nothing changed."))  # no new author, no log entry
        return redirect("records:rule_list")
    if request.method == "POST" and form.is_valid():
        try:
            retention_rule_save(membership=request.membership, rule=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Retention rule saved; retention dates recomputed."))
            return redirect("records:rule_list")
    return render(request, "records/rule_form.html", {"form": form, "rule": rule})


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def rule_delete(request, pk):
    rule = rule_get(organisation=request.organisation, pk=pk)
    retention_rule_delete(membership=request.membership, rule=rule)
    messages.success(request, _("Retention rule removed; the legal minimum applies again."))
    return redirect("records:rule_list")
