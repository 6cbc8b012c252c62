"""Attaching a document to a record and downloading it (every download reaches the event log)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import organisation_required
from core.forms import add_service_errors
from core.http import stored_file_response
from core.registry import can_read, record_get

from ..forms import DocumentUploadForm
from ..selectors import document_get
from ..services import document_attach
from ..services.eventlog import event_log_append


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
