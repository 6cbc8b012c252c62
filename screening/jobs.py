"""The screening app's background jobs: importing a list file, preparing a list version's index.

The batch re-screening of an organisation's parties runs over the party register, so its handler
lives next to the register (trade/jobs.py); its job kind keeps the stored name below.
"""

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from core.jobs import job_enqueue, job_handler
from core.models import Job

# The stored kind of the batch re-screening job (handled in trade/jobs.py).
RESCREEN_KIND = "screening.rescreen_parties"
BUILD_INDEX_KIND = "screening.build_index"
IMPORT_KIND = "screening.import_list"
UPLOAD_DIR = "screening-imports"


@job_handler(IMPORT_KIND, title=_("Import a screening list"), roles=role_sets.PROGRAMME_EDITORS)
def import_list(job, progress):
    """Import an uploaded list file as the list's next version, all or nothing, with its
    search index (see screening.services.lists.list_import). A rejected file changes nothing;
    its row errors are shown on the import page."""
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.urls import reverse
    from django.utils import translation

    from screening.models import ScreeningList
    from screening.services.index import artefacts_prune, index_build_allowed
    from screening.services.lists import ImportRejected, list_import

    params = job.params
    screening_list = ScreeningList.objects.get(pk=params["list_id"])
    user = get_user_model().objects.filter(pk=params.get("user_id")).first()
    with default_storage.open(params["upload"], "rb") as handle:
        content = handle.read()
    # index_build_allowed: an eager job inside a request (development) still builds the index
    # in the import's own transaction.
    with translation.override(params.get("language") or None), index_build_allowed():
        try:
            outcome = list_import(
                screening_list=screening_list,
                content=content,
                file_format=params["file_format"],
                user=user,
                filename=params.get("filename", ""),
                progress=progress,
            )
        except ImportRejected as exc:
            default_storage.delete(params["upload"])
            errors = [{"row": e.row, "message": str(e.message)} for e in exc.row_errors[:500]]
            url = reverse("screening:list_import", args=[screening_list.pk])
            return {
                "result": {"rejected": True, "row_errors": errors},
                "result_url": f"{url}?job={job.pk}",
            }
    default_storage.delete(params["upload"])
    artefacts_prune()  # the previous version's index file is no longer used
    return {
        "result": {"version": outcome.version.number, "created": outcome.created},
        "result_url": outcome.version.get_absolute_url(),
    }


def import_enqueue(
    *, organisation, screening_list, upload, file_format: str, user, language: str
) -> Job:
    """Keep the uploaded file in the storage and start its import in the background (the job
    belongs to the uploader's organisation, also for a public list, so they can follow it)."""
    import hashlib

    from django.core.files.storage import default_storage

    content = upload.read()
    name = default_storage.save(
        f"{UPLOAD_DIR}/{hashlib.sha256(content).hexdigest()}.upload", ContentFile(content)
    )
    return job_enqueue(
        kind=IMPORT_KIND,
        organisation=organisation,
        created_by=user,
        params={
            "list_id": screening_list.pk,
            "upload": name,
            "file_format": file_format,
            "filename": upload.name[:255],
            "user_id": user.pk if user else None,
            "language": language,
        },
    )


@job_handler(BUILD_INDEX_KIND, title=_("Prepare a list for screening"), roles=())
def build_index(job, progress):
    """Build the index file of a list version made current by a hand edit (web requests never
    build one), then drop the files no current version uses."""
    from screening.models import ListVersion
    from screening.services.index import artefact_build, artefacts_prune

    version = ListVersion.objects.filter(pk=job.params["version_id"]).first()
    if version is None:
        return {"result": {"built": False}}
    progress(10, _("Building the search index"))
    artefact = artefact_build(version)
    artefacts_prune()
    return {"result": {"built": True, "size": artefact.size}}
