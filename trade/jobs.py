"""Batch re-screening of every active party of an organisation, as a background job.

It lives next to the party register it screens (trade sits above screening in the layers); the
job kind keeps its stored name, `screening.rescreen_parties`, so stored jobs and their pages are
unchanged. A new list version starts it through the `screening.signals.list_version_current`
event (trade/receivers.py).
"""

from celery import group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts import roles as role_sets
from accounts.models import Organisation
from core.jobs import StepText, job_enqueue, job_handler, step_code
from core.models import Job
from screening.jobs import RESCREEN_KIND
from screening.models import ListVersion, Screening, ScreeningHit
from screening.services.index import index_build_allowed
from screening.services.screening import hits_notify, new_alert_hits

from .models import Party
from .services.party import party_screen
from .services.transaction import transactions_recheck_after_rescreen

KIND = RESCREEN_KIND
# Parties per chunk task: ~25 s at 50 ms a party, far below the 15-minute soft time limit.
CHUNK_SIZE = 500


@job_handler(KIND, title=_("Re-screen all parties"), roles=role_sets.PROGRAMME_READERS)
def rescreen_parties(job, progress):
    """Plan the re-screening: split the active parties this job has not screened yet into
    chunks of ``CHUNK_SIZE`` and send one task per chunk (a Celery group). Each chunk runs far
    below the soft time limit; the chunk that finishes last runs the final step. The job stays
    running (one row, one progress bar) until then. After a failure, a retry plans again and
    only the parties not screened yet are sent, so nothing is screened twice."""
    from .tasks import rescreen_chunk  # trade.tasks imports this module

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
    """Screen one chunk of a re-screening job; returns how many parties it screened. A chunk
    of an earlier attempt (the job was retried or sent again) does nothing."""

    job = _running(job_id, generation).select_related("organisation").first()
    if job is None:
        return 0
    total = job.params.get("total", 0)
    parties = Party.objects.for_organisation(job.organisation).filter(
        pk__in=party_ids, is_active=True
    )
    screened, new_hit_ids = 0, []
    with index_build_allowed():
        for position, party in enumerate(parties.order_by("pk"), start=1):
            if Screening.objects.filter(job=job, party=party).exists():
                continue
            screening = party_screen(party=party, job=job, source=Screening.Source.BATCH)
            new_hit_ids += [hit.pk for hit in new_alert_hits(screening)]
            screened += 1
            if position % 50 == 0:
                done = Screening.objects.filter(job=job).count()
                _running(job_id, generation).update(
                    progress=_percent(done, total),
                    step=step_code(_steps(done, total)),
                    heartbeat_at=timezone.now(),
                )
    with transaction.atomic():
        locked = _running(job_id, generation).select_for_update().first()
        if locked is None:
            return screened
        result = dict(locked.result)
        result["chunks_done"] = result.get("chunks_done", 0) + 1
        result["new_hit_ids"] = [*result.get("new_hit_ids", []), *new_hit_ids]
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
    return screened


def rescreen_finish(*, job_id, generation: int) -> None:
    """The final step, once every chunk is done: transactions with a new hit go back to
    review, compliance managers get one e-mail, and the job says how many new potential
    matches the re-screening found, with a link to them."""

    job = _running(job_id, generation).select_related("organisation").first()
    if job is None:
        return
    organisation = job.organisation
    # Approved-but-not-shipped transactions with a new hit go back to review (trade, E4).
    transactions_recheck_after_rescreen(organisation=organisation)
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
    return job_enqueue(kind=KIND, organisation=organisation, created_by=user, params=params)


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
    covered = Job.objects.filter(kind=KIND, created_at__gte=version.created_at).values(
        "organisation"
    )
    return [
        rescreen_enqueue(
            organisation=org, user=version.created_by, reason=reason, version_id=version.pk
        )
        for org in organisations.exclude(pk__in=covered)
    ]
