"""Background jobs of the programme: the ICP manual (documents queue: it renders a long PDF)."""

from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from core.jobs import job_handler
from icp.selectors.licence_pack import LICENCE_PACK_JOB_KIND
from icp.selectors.manual import MANUAL_JOB_KIND


@job_handler(
    MANUAL_JOB_KIND,
    title=_("ICP manual"),
    queue="documents",
    roles=role_sets.PROGRAMME_READERS,
)
def manual_job(job, progress):
    """Generate one manual revision (a draft), or with `issue` the controlled copy of an
    approved one; a retried job returns the artefact it already made."""
    from django.urls import reverse

    from icp.models import ManualVersion
    from icp.services.manual import manual_generate, manual_issue

    if job.params.get("issue"):
        version = manual_issue(
            version=ManualVersion.objects.get(
                organisation=job.organisation, pk=job.params["issue"]
            ),
            progress=progress,
        )
    else:
        version = manual_generate(
            organisation=job.organisation,
            language=job.params.get("language", "zh-hans"),
            requested_by=job.created_by,
            job=job,
            progress=progress,
            edition=job.params.get("edition", "full"),
            document_number=job.params.get("document_number", ""),
            reason=job.params.get("reason", ""),
            foreign_law_annex=bool(job.params.get("foreign_law_annex", False)),
        )
    return {
        "result": {
            "manual_version": version.pk,
            "number": version.number,
            "pages": version.page_count,
            "sha256": version.pdf_sha256,
        },
        "result_url": reverse("icp:manual_download", args=[version.pk, "pdf"]),
    }


@job_handler(
    LICENCE_PACK_JOB_KIND,
    title=_("General licence application pack"),
    queue="documents",
    roles=role_sets.MANUAL_REQUESTERS,
)
def licence_pack_job(job, progress):
    """The three descriptions of 《两用物项出口管制条例》第十六条第二款 for one period: the PDF is
    the job's result file, the Word document is stored beside it."""
    import datetime
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.urls import reverse

    from icp.services.licence_pack import licence_pack_render

    start = datetime.date.fromisoformat(job.params["start"])
    end = datetime.date.fromisoformat(job.params["end"])
    pdf, docx = licence_pack_render(
        organisation=job.organisation,
        start=start,
        end=end,
        language=job.params.get("language", "zh-hans"),
        progress=progress,
    )
    docx_name = default_storage.save(f"licence_packs/{job.pk}.docx", ContentFile(docx))
    return {
        "file": (f"licence-pack-{start}-{end}.pdf", pdf),
        "result": {"docx": docx_name, "docx_sha256": hashlib.sha256(docx).hexdigest()},
        "result_url": reverse("icp:licence_pack_download", args=[job.pk, "pdf"]),
    }
