"""E7 the checklist and the auditor's review: filters, an item with autosave, evidence."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from audits import selectors
from audits.forms import (
    AnswerForm,
    EvidenceLinkForm,
    EvidenceUploadForm,
)
from audits.models import (
    Answer,
    ChecklistItem,
)
from audits.services import review as review_services
from audits.services.checklist import evidence_kind_label
from audits.services.checklist_sample import sample_reason_label
from audits.views.common import audit_or_404, error_message, in_team, item_or_404
from core.forms import add_service_errors
from core.i18n import joined
from records.services import document_attach, documents_for


def _filters(request) -> dict:
    return {
        "element": request.GET.get("element", ""),
        "answer": request.GET.get("answer", ""),
        "mine": request.GET.get("mine", ""),
    }


def _filtered_items(request, audit, filters):
    return selectors.checklist_items(
        audit=audit,
        element=filters["element"],
        answer=filters["answer"],
        mine_user=request.user if filters["mine"] else None,
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def checklist(request, pk):
    audit = audit_or_404(request, pk)
    filters = _filters(request)
    items = list(_filtered_items(request, audit, filters))
    elements = selectors.elements_by_code(audit.template.framework)
    for item in items:
        item.sample_reason_labels = joined(
            sample_reason_label(code) for code in item.sample_reason.split(", ") if code
        )
    return render(
        request,
        "audits/checklist.html",
        {
            "audit": audit,
            "items": items,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "progress": selectors.audit_progress(audit=audit),
            "element_choices": [(code, elements.get(code)) for code in audit.elements],
            "answer_choices": [("open", _("Not answered")), *Answer.choices],
            "in_team": in_team(request, audit),
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def item_detail(request, pk, item_pk):
    audit = audit_or_404(request, pk)
    return _render_item_detail(request, audit, item_or_404(request, audit, item_pk))


def _render_item_detail(request, audit, item, **bound_forms):
    """The checklist item page; `bound_forms` (a form that failed) replace the empty ones."""
    filters = _filters(request)
    previous_id, next_id = selectors.item_neighbours(
        items=_filtered_items(request, audit, filters), item=item
    )
    can_answer = (
        in_team(request, audit)
        and not audit.is_signed_off
        and request.user.pk not in (item.involved_user_ids or [])
    )
    documents = documents_for(item)
    return render(
        request,
        "audits/item_detail.html",
        {
            "audit": audit,
            "item": item,
            "form": AnswerForm(initial={"answer": item.answer, "comment": item.comment}),
            "link_form": bound_forms.get("link_form") or EvidenceLinkForm(),
            "upload_form": bound_forms.get("upload_form") or EvidenceUploadForm(),
            "evidence": [
                {**link, "kind_label": evidence_kind_label(link.get("kind", ""))}
                for link in item.evidence
            ],
            "documents": documents,
            "findings": item.findings.all(),
            "previous_id": previous_id,
            "next_id": next_id,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "progress": selectors.audit_progress(audit=audit),
            "can_answer": can_answer,
            "conflicted": request.user.pk in (item.involved_user_ids or []),
            "in_team": in_team(request, audit),
            "sample_reason_labels": joined(
                sample_reason_label(code) for code in item.sample_reason.split(", ") if code
            ),
            "answer_choices": Answer.choices,
        },
    )


@require_POST
@organisation_required(roles=roles.AUDITORS)
def item_autosave(request, pk, item_pk):
    """Saves what the auditor typed. JSON for the autosave script; without script, the form's
    "Save and next" button posts here too and is sent on to the next item."""
    audit = audit_or_404(request, pk)
    item = item_or_404(request, audit, item_pk)
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    values = {}
    if "answer" in request.POST:
        values["answer"] = request.POST["answer"]
    if "comment" in request.POST:
        values["comment"] = request.POST["comment"]
    try:
        item = review_services.item_answer(item=item, user=request.user, **values)
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=400)
        error_message(request, error)
        return redirect(item.get_absolute_url())
    if wants_json:
        progress = selectors.audit_progress(audit=audit)
        return JsonResponse(
            {
                "saved": True,
                "answer": item.answer,
                "saved_at": timezone.localtime(item.answered_at).strftime("%H:%M:%S")
                if item.answered_at
                else "",
                "answered": progress["answered"],
                "total": progress["total"],
                "percent": progress["percent"],
            }
        )
    messages.success(request, _("Saved."))
    next_id = request.POST.get("next")
    query = request.POST.get("query", "")
    if next_id and next_id.isdigit():
        return redirect(
            f"{ChecklistItem(pk=int(next_id), audit_id=audit.pk).get_absolute_url()}"
            + (f"?{query}" if query else "")
        )
    return redirect(item.get_absolute_url() + (f"?{query}" if query else ""))


@require_POST
@organisation_required(roles=roles.AUDITORS)
def item_link(request, pk, item_pk):
    audit = audit_or_404(request, pk)
    item = item_or_404(request, audit, item_pk)
    form = EvidenceLinkForm(request.POST)
    if form.is_valid():
        try:
            review_services.item_link_add(
                item=item,
                user=request.user,
                url=form.cleaned_data["url"],
                label=form.cleaned_data["label"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Link added."))
            return redirect(f"{item.get_absolute_url()}#evidence")
    # Shown again with the address and label as typed and the error under the form.
    return _render_item_detail(request, audit, item, link_form=form)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def item_attach(request, pk, item_pk):
    audit = audit_or_404(request, pk)
    item = item_or_404(request, audit, item_pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            review_services.item_check_reviewer(item=item, user=request.user)
            document = document_attach(
                organisation=request.organisation,
                user=request.user,
                target=item,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s attached.") % {"name": document.original_name})
            return redirect(f"{item.get_absolute_url()}#evidence")
    # Shown again with the description as typed and the error under the form.
    return _render_item_detail(request, audit, item, upload_form=form)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def item_take(request, pk, item_pk):
    """A team member takes the items of a sampled transaction (independence conflicts)."""
    from audits.services.checklist import reassign_item_group

    audit = audit_or_404(request, pk)
    item = item_or_404(request, audit, item_pk)
    if item.transaction_id is None:
        raise Http404
    try:
        count = reassign_item_group(
            audit=audit, transaction_id=item.transaction_id, user=request.user
        )
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(
            request,
            ngettext("%(count)d item assigned to you.", "%(count)d items assigned to you.", count)
            % {"count": count},
        )
    return redirect(item.get_absolute_url())
