"""Background jobs of the records app: inspection bundles (documents queue: they render a PDF)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from core.jobs import job_handler

from .services.bundles import bundle_build


@job_handler(
    "records.bundle",
    title=_("Inspection bundle"),
    queue="documents",
    roles=role_sets.PROGRAMME_READERS,
)
def bundle_job(job, progress):
    params = dict(job.params)
    scope = params.pop("scope")
    language = params.pop("language", "zh-hans")
    name, archive, summary = bundle_build(
        organisation=job.organisation,
        user=job.created_by,
        scope=scope,
        params=params,
        language=language,
        progress=progress,
    )
    return {
        # An open temporary file: the job runner saves it to the storage in chunks.
        "file": (name, archive),
        "result": summary,
        "result_url": reverse("records:bundle_download", args=[job.pk]),
    }
