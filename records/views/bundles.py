"""Inspection bundles: the request form and the download of the finished bundle."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import organisation_required
from core.jobs import job_enqueue
from core.models import Job

from ..forms import BundleForm
from ..selectors import bundle_job_get, bundle_transaction_find
from ..services.bundles import bundle_is_empty, bundle_scopes
from ..services.eventlog import event_log_append


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
