"""Element 8 pages: documents, retention, legal holds, disposal, the event log, bundles and the
notification centre. Views check access, call one service and redirect; rules live in
records/services/."""

import datetime
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from core.http import stored_file_response
from core.jobs import job_enqueue
from core.lists import ScopedListView
from core.models import Job
from core.registry import can_read, record_get

from .filters import EventLogFilter, RetainedRecordFilter
from .forms import (
    BundleForm,
    DocumentUploadForm,
    LegalHoldForm,
    OptionalNoteForm,
    PreferenceForm,
    ReasonForm,
    RetentionRuleForm,
)
from .models import (
    DisposalRequest,
    EventLogEntry,
    Notification,
    RetainedRecord,
)
from .selectors import (
    bundle_job_get,
    bundle_transaction_find,
    disposal_get,
    disposals_of,
    document_get,
    event_log_count,
    event_log_entry_at,
    event_log_labels,
    events_of_record,
    hold_candidates,
    hold_get,
    hold_item_get,
    hold_items,
    holds_of,
    notification_get,
    record_type_name,
    retained_chosen,
    retained_get,
    retained_labels,
    retained_list,
    retention_counts,
    rule_get,
    rules_of,
    with_state,
)
from .services import disposal as disposal_services
from .services import document_attach
from .services import holds as hold_services
from .services.bundles import bundle_is_empty, bundle_scopes
from .services.eventlog import event_log_append, event_log_verify
from .services.reminders import (
    notification_mark_read,
    notifications_unread_count,
    preference_for,
    preference_save,
    reminder_kinds,
)
from .services.retention import retention_rule_delete, retention_rule_save
from .subjects import ACCOUNTING_RECORDS_NOTE, retention_basis


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- documents -------------------------------------------------------------------------------


@require_POST
@organisation_required()
def document_upload(request, label, pk):
    target = record_get(label=label, pk=pk, membership=request.membership, for_edit=True)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = document_attach(
                organisation=request.organisation,
                user=request.user,
                target=target,
                upload=form.cleaned_data["file"],
                document_type=form.cleaned_data["document_type"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s attached.") % {"name": document.original_name})
            # A record shown inside another's page names its own place there (a fragment).
            url = target.get_absolute_url()
            return redirect(url if "#" in url else f"{url}#attachments")
    # Shown again on a page of its own with the type and description as typed and what is
    # wrong (a browser cannot keep the chosen file).
    return render(
        request,
        "core/record_form_page.html",
        {
            "form": form,
            "target": target,
            "back_url": f"{target.get_absolute_url()}#attachments",
            "action": request.path,
            "heading": _("Attach a document"),
            "submit_label": _("Attach"),
        },
    )


@organisation_required()
def document_download(request, pk):
    document = document_get(organisation=request.organisation, pk=pk)
    target = document.target
    if target is None:
        raise Http404
    if not can_read(request.membership, target):
        raise PermissionDenied
    response = stored_file_response(
        request, document.file, filename=document.original_name, content_type=document.mime_type
    )
    if response.status_code == 200:
        event_log_append(
            organisation=request.organisation,
            actor=request.user,
            action="download",
            target=document,
            details={"sha256": document.sha256},
        )
    return response


# --- overview and retention ------------------------------------------------------------------


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
        (gettext_lazy("Record"), "title"),
        (gettext_lazy("Record type"), lambda row: record_type_name(row.record_type)),
        (gettext_lazy("Document type"), "document_type"),
        (gettext_lazy("Belongs to"), "parent.title"),
        (gettext_lazy("Created"), "created_at"),
        (gettext_lazy("Ended"), "ended_at"),
        (gettext_lazy("Counted from"), "get_start_event_display"),
        (gettext_lazy("Years kept"), "years"),
        (gettext_lazy("Retained until"), "retained_until"),
        (gettext_lazy("State"), lambda row: row.get_state_label()),
    )

    def get_base_queryset(self):
        return retained_list(organisation=self.organisation).order_by("retained_until", "pk")

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


# --- legal holds -----------------------------------------------------------------------------


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
            _error(request, error)
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
        _error(request, error)
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
        _error(request, error)
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
                _error(request, error)
                return redirect(hold)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Legal hold released."))
            return redirect(hold)
    # Shown again with the reason as typed and what is wrong with it.
    return _render_hold_detail(request, hold, release_form=form)


# --- disposal --------------------------------------------------------------------------------


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
        _error(request, error)  # e.g. decided meanwhile: the page has no form
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
                _error(request, error)  # e.g. decided meanwhile: the page has no form
                return redirect(disposal)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Disposal rejected. Nothing was destroyed."))
            return redirect(disposal)
    # Shown again with the reason as typed and what is wrong with it.
    return _render_disposal_detail(request, disposal, reject_form=form)


# --- event log -------------------------------------------------------------------------------


class EventLogView(ScopedListView):
    model = EventLogEntry
    roles = roles.PROGRAMME_READERS
    template_name = "records/event_log.html"
    filterset_class = EventLogFilter
    search_fields = ("object_repr", "actor_label", "record_type")
    export_filename = "event-log"
    export_columns = (
        (gettext_lazy("No."), "sequence"),
        (gettext_lazy("Time (UTC)"), lambda e: e.at.astimezone(datetime.UTC).isoformat()),
        (pgettext_lazy("event log", "By"), "actor_label"),
        (gettext_lazy("User id"), "actor_id"),
        (pgettext_lazy("event log", "Action"), "action"),
        (gettext_lazy("Record type"), "record_type"),
        (gettext_lazy("Record id"), "object_id"),
        (gettext_lazy("Record"), "object_repr"),
        (gettext_lazy("Details"), lambda e: _json(e.details)),
        (gettext_lazy("Previous hash"), "prev_hash"),
        (gettext_lazy("Hash"), "hash"),
    )

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor").order_by("-sequence")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") in ("csv", "xlsx"):
            event_log_append(
                organisation=self.organisation,
                actor=request.user,
                action="export",
                record_type="records.eventlogentry",
                object_repr=_("Event log export"),
                details={"format": request.GET["export"], "filters": request.GET.urlencode()},
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each record named as it is now, in the reader's language (the stored name otherwise).
        context["object_list"] = event_log_labels(context["object_list"])
        return context

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.GET.get("export") in ("csv", "xlsx"):
            # Exports list the chain in order, so it can be re-verified from the file.
            return queryset.order_by("sequence")
        return queryset


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@organisation_required(roles=roles.PROGRAMME_READERS)
def event_log_verify_view(request):
    result = event_log_verify(organisation=request.organisation)
    broken = None
    if not result.ok:
        broken = event_log_entry_at(organisation=request.organisation, sequence=result.first_broken)
        if broken is not None:
            event_log_labels([broken])
    return render(
        request,
        "records/event_log_verify.html",
        {"result": result, "broken": broken, "checked_at": timezone.now()},
    )


# --- bundles ---------------------------------------------------------------------------------


@organisation_required(roles=roles.PROGRAMME_READERS)
def bundle_create(request):
    initial = {"language": get_language(), "scope": request.GET.get("scope", "transaction")}
    if request.GET.get("hold"):
        initial["hold"] = request.GET["hold"]
    if request.GET.get("transaction"):
        initial["transaction"] = request.GET["transaction"]
    form = BundleForm(request.POST or None, organisation=request.organisation, initial=initial)
    confirm_empty = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {"scope": data["scope"], "language": data["language"]}
        error = None
        if data["scope"] == "transaction":
            transaction = bundle_transaction_find(
                organisation=request.organisation, reference=data["transaction"]
            )
            if transaction is None:
                error = _("No transaction with this reference.")
            else:
                params["transaction"] = transaction.pk
        elif data["scope"] == "period":
            params.update(
                start=data["start"].isoformat(),
                end=data["end"].isoformat(),
                licensed_only=data["licensed_only"],
            )
        else:
            params["hold"] = data["hold"].pk
        if error:
            form.add_error("transaction", error)
        elif data["scope"] not in bundle_scopes():
            form.add_error("scope", _("Unknown kind of bundle."))
        elif not request.POST.get("confirm_empty") and bundle_is_empty(
            organisation=request.organisation, scope=data["scope"], params=params
        ):
            form.add_error(
                None,
                _(
                    "Nothing falls in this scope: the bundle would hold no records. "
                    "Change the scope, or build it anyway to show that there is nothing."
                ),
            )
            confirm_empty = True
        else:
            job = job_enqueue(
                kind="records.bundle",
                organisation=request.organisation,
                created_by=request.user,
                params=params,
            )
            return redirect(job)
    return render(
        request, "records/bundle_form.html", {"form": form, "confirm_empty": confirm_empty}
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def bundle_download(request, job_id):
    job = bundle_job_get(organisation=request.organisation, pk=job_id)
    if job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404
    event_log_append(
        organisation=request.organisation,
        actor=request.user,
        action="download",
        record_type="records.bundle",
        object_id=str(job.pk),
        object_repr=job.result_file.name.rsplit("/", 1)[-1],
        details={"sha256": job.result_sha256},
    )
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )


# --- notification centre ---------------------------------------------------------------------


class NotificationListView(ScopedListView):
    model = Notification
    roles = roles.ALL_MEMBERS
    template_name = "records/notification_list.html"
    search_fields = ("title",)

    def get_base_queryset(self):
        queryset = super().get_base_queryset().filter(user=self.request.user)
        if self.request.GET.get("show") == "unread":
            queryset = queryset.filter(read_at__isnull=True)
        return queryset.order_by("read_at", "-created_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            unread=notifications_unread_count(
                user=self.request.user, organisation=self.organisation
            ),
            show=self.request.GET.get("show", ""),
        )


@require_POST
@organisation_required()
def notification_read(request, pk):
    notification = notification_get(organisation=request.organisation, user=request.user, pk=pk)
    notification_mark_read(user=request.user, organisation=request.organisation, pk=pk)
    if notification.url and request.POST.get("open"):
        return redirect(notification.url)
    return redirect("records:notification_list")


@require_POST
@organisation_required()
def notification_read_all(request):
    count = notification_mark_read(user=request.user, organisation=request.organisation)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("records:notification_list")


@organisation_required()
def notification_bell(request):
    """The navbar bell's count, loaded by htmx after the page (no query on every page)."""
    count = notifications_unread_count(user=request.user, organisation=request.organisation)
    return render(request, "records/_bell.html", {"count": count})


@organisation_required()
def preferences(request):
    preference = preference_for(request.user)
    kinds = [kind for kind, _label in reminder_kinds()]
    initial = {
        "language": preference.language,
        "email_digest": preference.email_digest,
        "enabled_kinds": [k for k in kinds if k not in (preference.disabled_kinds or [])],
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        preference_save(
            user=request.user,
            language=form.cleaned_data["language"],
            email_digest=form.cleaned_data["email_digest"],
            disabled_kinds=[k for k in kinds if k not in form.cleaned_data["enabled_kinds"]],
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect(reverse("records:preferences"))
    return render(request, "records/preferences.html", {"form": form})
