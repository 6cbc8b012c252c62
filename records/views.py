from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import organisation_required
from core.registry import can_read, record_get

from .models import Document
from .services import document_attach


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    document_type = forms.ChoiceField(
        label=gettext_lazy("Document type"), choices=Document.Type.choices, required=False
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)


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
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s attached.") % {"name": document.original_name})
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(f"{target.get_absolute_url()}#attachments")


@organisation_required()
def document_download(request, pk):
    document = (
        Document.objects.for_organisation(request.organisation)
        .select_related("content_type")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    target = document.target
    if target is None:
        raise Http404
    if not can_read(request.membership, target):
        raise PermissionDenied
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.mime_type,
    )
