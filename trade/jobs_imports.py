"""Control-list and customs-catalogue imports of a large file, as background jobs.

The uploaded file is kept in the storage; the job imports it through the same services as an
import in the request (`trade.services.control_list`), all or nothing. A rejected file changes
nothing and the job's result holds the row errors, shown on the import page (`?job=<id>`)."""

import hashlib

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from core.jobs import job_enqueue, job_handler
from core.models import Job
from trade.models.control_list import ReferenceListKind
from trade.services.control_list import control_list_import, customs_catalogue_import

CONTROL_LIST_KIND = "trade.import_control_list"
CATALOGUE_KIND = "trade.import_customs_catalogue"
KINDS = {
    ReferenceListKind.CONTROL_LIST: CONTROL_LIST_KIND,
    ReferenceListKind.CUSTOMS_CATALOGUE: CATALOGUE_KIND,
}
UPLOAD_DIR = "trade-imports"
# Row errors kept on the job: enough to correct a file, bounded for a file that is all wrong.
MAX_ERRORS_KEPT = 500
PAGES = {
    CONTROL_LIST_KIND: ("transactions:control_list_import", "transactions:control_list"),
    CATALOGUE_KIND: ("transactions:customs_catalogue_import", "transactions:customs_catalogue"),
}


def _run(job, progress, service):
    params = job.params
    user = get_user_model().objects.filter(pk=params.get("user_id")).first()
    with default_storage.open(params["upload"], "rb") as handle:
        content = handle.read()
    import_page, list_page = PAGES[job.kind]
    extra = {"edition": params["edition"]} if job.kind == CATALOGUE_KIND else {}
    with translation.override(params.get("language") or None):
        try:
            outcome = service(
                content=content,
                filename=params.get("filename", ""),
                organisation=job.organisation,
                user=user,
                progress=progress,
                **extra,
            )
        except ValidationError as exc:
            default_storage.delete(params["upload"])
            return {
                "result": {"rejected": True, "errors": exc.messages[:MAX_ERRORS_KEPT]},
                "result_url": f"{reverse(import_page)}?job={job.pk}",
            }
    default_storage.delete(params["upload"])
    return {
        "result": {"version": outcome.version.number, **outcome.version.change_counts},
        "result_url": reverse(list_page),
    }


@job_handler(
    CONTROL_LIST_KIND, title=_("Import the control list"), roles=role_sets.PROGRAMME_EDITORS
)
def import_control_list(job, progress):
    """Import an uploaded control list file as the organisation's next version."""
    return _run(job, progress, control_list_import)


@job_handler(
    CATALOGUE_KIND, title=_("Import the customs catalogue"), roles=role_sets.PROGRAMME_EDITORS
)
def import_customs_catalogue(job, progress):
    """Import an uploaded customs catalogue file (one edition) as the next version."""
    return _run(job, progress, customs_catalogue_import)


def reference_list_import_enqueue(
    *, list_kind: str, organisation, user, content: bytes, filename: str, language: str, edition=""
) -> Job:
    """Keep the uploaded file in the storage and start its import in the background."""
    name = default_storage.save(
        f"{UPLOAD_DIR}/{hashlib.sha256(content).hexdigest()}.upload", ContentFile(content)
    )
    params = {
        "upload": name,
        "filename": (filename or "")[:255],
        "user_id": user.pk if user else None,
        "language": language,
    }
    if list_kind == ReferenceListKind.CUSTOMS_CATALOGUE:
        params["edition"] = edition
    return job_enqueue(
        kind=KINDS[list_kind], organisation=organisation, created_by=user, params=params
    )
