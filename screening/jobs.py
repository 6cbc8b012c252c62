"""The screening app's background jobs: importing a list file, preparing a list version's index,
and the batch re-screening of every active party of an organisation.

A new list version starts the re-screening through the `screening.signals.list_version_current`
event (screening/receivers.py). Its chunks run as Celery tasks (screening/tasks.py); when the last
one is done, `screening.signals.parties_rescreened` lets trade send approved transactions with a
new hit back to review.
"""

from celery import group
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts import roles as role_sets
from accounts.models import Organisation
from core.jobs import StepText, job_enqueue, job_handler, step_code
from core.models import Job
from screening.models import ListVersion, Party, Screening, ScreeningHit
from screening.services.index import index_build_allowed
from screening.services.rescreen import parties_rescreen
from screening.services.screening import hits_notify
from screening.signals import parties_rescreened_publish

# The stored kind of the batch re-screening job (the name it had before the party register
# moved from trade to this app; stored jobs name it).
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


# Parties per chunk task (one batch): ~4 s of CPU at ~7 ms a party, under a minute on a loaded
# shared machine (docs/screening-engine.md), far below the 15-minute soft time limit.
CHUNK_SIZE = 500


@job_handler(RESCREEN_KIND, title=_("Re-screen all parties"), roles=role_sets.PROGRAMME_READERS)
def rescreen_parties(job, progress):
    """Plan the re-screening: split the active parties this job has not screened yet into
    chunks of ``CHUNK_SIZE`` and send one task per chunk (a Celery group). Each chunk runs far
    below the soft time limit; the chunk that finishes last runs the final step. The job stays
    running (one row, one progress bar) until then. After a failure, a retry plans again and
    only the parties not screened yet are sent, so nothing is screened twice."""
    from .tasks import rescreen_chunk  # screening.tasks imports this module

    organisation = job.organisation
    party_ids = list(
        Party.objects.for_organisation(organisation)
        .filter(is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = set(Screening.objects.filter(job=job).values_list("party_id", flat=True))
    todo = [pk for pk in party_ids if pk not in done]
    chunks = [todo[i : i + CHUNK_SIZE] for i in range(0, len(todo), CHUNK_SIZE)]
    params = {**job.params, "total": len(party_ids), "chunks": len(chunks)}
    result = {**(job.result or {}), "chunks_done": 0}
    result.setdefault("new_hit_ids", [])
    Job.objects.filter(pk=job.pk).update(params=params, result=result)
    progress(_percent(len(done), len(party_ids)), _steps(len(done), len(party_ids)))
    if not chunks:
        rescreen_finish(job_id=job.pk, generation=job.attempts)
    else:
        group(rescreen_chunk.si(str(job.pk), job.attempts, chunk) for chunk in chunks).apply_async()
    return {"continues": True}


def _percent(done: int, total: int) -> int:
    return min(99, int(done * 100 / total)) if total else 99


def _steps(done: int, total: int) -> StepText:
    return StepText(
        ngettext_lazy("%(done)d of %(count)d party", "%(done)d of %(count)d parties", "count"),
        {"done": done, "count": total},
    )


def _running(job_id, generation):
    return Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, attempts=generation)


def rescreen_chunk_run(*, job_id, generation: int, party_ids: list[int]) -> int:
    """Screen one chunk of a re-screening job as one batch (screening.services.rescreen);
    returns how many parties it screened. A chunk of an earlier attempt (the job was retried or
    sent again) does nothing; a chunk sent again skips the parties the job already screened."""

    job = _running(job_id, generation).select_related("organisation").first()
    if job is None:
        return 0
    total = job.params.get("total", 0)
    # The chunk's screenings and its bookkeeping (chunks done, new hits) commit together: a chunk
    # sent again after a lost worker finds its parties screened and their new hits counted.
    with transaction.atomic():
        with index_build_allowed():
            outcome = parties_rescreen(job=job, party_ids=party_ids)
        locked = _running(job_id, generation).select_for_update().first()
        if locked is None:
            # The job failed or was sent again meanwhile: nothing of this chunk is kept, so the
            # retry screens these parties and counts their new hits.
            transaction.set_rollback(True)
            return 0
        result = dict(locked.result)
        result["chunks_done"] = result.get("chunks_done", 0) + 1
        result["new_hit_ids"] = [*result.get("new_hit_ids", []), *outcome.new_hit_ids]
        done = Screening.objects.filter(job=job).count()
        last = result["chunks_done"] >= locked.params.get("chunks", 0)
        _running(job_id, generation).update(
            result=result,
            progress=_percent(done, total),
            step=step_code(_steps(done, total)),
            heartbeat_at=timezone.now(),
        )
    if last:
        rescreen_finish(job_id=job_id, generation=generation)
    return outcome.screened


def rescreen_finish(*, job_id, generation: int) -> None:
    """The final step, once every chunk is done: transactions with a new hit go back to
    review, compliance managers get one e-mail, and the job says how many new potential
    matches the re-screening found, with a link to them."""

    job = _running(job_id, generation).select_related("organisation").first()
    if job is None:
        return
    organisation = job.organisation
    # Approved-but-not-shipped transactions with a new hit go back to review (trade, E4).
    parties_rescreened_publish(organisation=organisation)
    hits = list(
        ScreeningHit.objects.filter(pk__in=job.result.get("new_hit_ids", [])).select_related(
            "entity"
        )
    )
    reason = job.params.get("reason", "")
    hits_notify(
        organisation=organisation,
        hits=hits,
        context_line=str(_("Batch re-screening after: %(reason)s")) % {"reason": reason}
        if reason
        else "",
    )
    screened = Screening.objects.filter(job=job).count()
    url = reverse("screening:queue")
    # Stored as msgids and the count: the job page shows it in the reader's language.
    step = step_code(
        StepText(
            ngettext_lazy(
                "Finished: %(count)d new potential match needs a decision.",
                "Finished: %(count)d new potential matches need a decision.",
                "count",
            ),
            {"count": len(hits)},
        )
        if hits
        else _("Finished: no new potential matches.")
    )
    _running(job_id, generation).update(
        status=Job.Status.SUCCEEDED,
        progress=100,
        step=step[:200],
        result={
            "parties": job.params.get("total", 0),
            "screened": screened,
            "new_hits": len(hits),
        },
        result_url=url,
        finished_at=timezone.now(),
    )


def rescreen_enqueue(*, organisation, user=None, reason: str = "", version_id=None) -> Job:
    """Start a batch re-screening (after the current transaction commits)."""
    params = {"reason": reason}
    if version_id is not None:
        params["version_id"] = version_id
    return job_enqueue(
        kind=RESCREEN_KIND, organisation=organisation, created_by=user, params=params
    )


def rescreen_enqueue_for_version(*, version_id: int) -> list[Job]:
    """A list got a new version: re-screen the parties of every organisation that sees it."""

    version = ListVersion.objects.select_related("screening_list").get(pk=version_id)
    screening_list = version.screening_list
    if screening_list.is_public:
        organisations = Organisation.objects.filter(
            is_active=True, pk__in=Party.objects.filter(is_active=True).values("organisation")
        )
    else:
        organisations = Organisation.objects.filter(
            pk=screening_list.organisation_id, is_active=True
        )
    reason = f"{screening_list.code} v{version.number}"
    # A job created after this version already sees it (jobs read the current versions when
    # they run): several lists imported in one go start one re-screening, not one per list.
    covered = Job.objects.filter(kind=RESCREEN_KIND, created_at__gte=version.created_at).values(
        "organisation"
    )
    return [
        rescreen_enqueue(
            organisation=org, user=version.created_by, reason=reason, version_id=version.pk
        )
        for org in organisations.exclude(pk__in=covered)
    ]
