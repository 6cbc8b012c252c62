"""The general-licence application pack (《两用物项出口管制条例》第十六条第二款): ask for it for a
period, follow the job, download the PDF or the Word document."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.http import stored_file_response
from core.models import Job
from icp.forms.licence_pack import LANGUAGE_CHOICES, LicencePackRequestForm
from icp.selectors import licence_pack as selectors
from icp.services.licence_pack import licence_pack_request as licence_pack_request_service
from icp.views.manual import CONTENT_TYPES


def _home(request, form=None):
    today = timezone.localdate()
    return render(
        request,
        "icp/licence_pack.html",
        {
            "jobs": selectors.licence_pack_jobs(organisation=request.organisation),
            "form": form,
            "typed": form.data if form is not None else {},
            "languages": LANGUAGE_CHOICES,
            "default_start": today.replace(year=today.year - 1),
            "default_end": today,
        },
    )


@organisation_required(roles=roles.MANUAL_REQUESTERS)
def licence_pack_home(request):
    """The packs asked for (newest first) with their progress, and the request form."""
    return _home(request)


@require_POST
@organisation_required(roles=roles.MANUAL_REQUESTERS)
def licence_pack_request(request):
    """Start generating the pack for a period; bad input shows the page again with what was
    typed and the error."""
    form = LicencePackRequestForm(request.POST)
    if form.is_valid():
        try:
            licence_pack_request_service(
                organisation=request.organisation,
                user=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The application pack is being generated; this page shows its progress.")
            )
            return redirect(reverse("icp:licence_pack_home"))
    return _home(request, form=form)  # the page again, with the errors and what was typed


@organisation_required(roles=roles.MANUAL_REQUESTERS)
def licence_pack_download(request, job_id, fmt):
    """The PDF or Word file of a finished pack of the member's own organisation."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    job = selectors.licence_pack_job_get(organisation=request.organisation, job_id=job_id)
    if job is None or job.status != Job.Status.SUCCEEDED:
        raise Http404
    filename = f"licence-pack-{job.params['start']}-{job.params['end']}.{fmt}"
    if fmt == "pdf":
        return stored_file_response(
            request, job.result_file, filename=filename, content_type=CONTENT_TYPES[fmt]
        )
    name = (job.result or {}).get("docx", "")
    if not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[fmt],
    )
