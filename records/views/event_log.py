"""The event log and the check of its hash chain."""

import datetime
import json

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts import roles
from accounts.permissions import organisation_required
from core.lists import ScopedListView

from ..filters import EventLogFilter
from ..models import EventLogEntry
from ..selectors import event_log_entry_at, event_log_labels
from ..services.eventlog import event_log_append, event_log_verify


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
