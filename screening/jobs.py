"""Batch re-screening of every active party of an organisation, as a background job."""

from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from core.jobs import job_enqueue, job_handler
from core.models import Job

KIND = "screening.rescreen_parties"
BUILD_INDEX_KIND = "screening.build_index"


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


@job_handler(KIND, title=_("Re-screen all parties"), roles=role_sets.PROGRAMME_READERS)
def rescreen_parties(job, progress):
    """Screen each active party once for this job. Re-running the job (a redelivered message,
    a retry after a crash) skips the parties it already screened, so nothing is doubled."""
    from django.urls import reverse

    from screening.models import Screening
    from screening.services.screening import hits_notify, new_alert_hits
    from trade.models import Party
    from trade.services.party import party_screen

    organisation = job.organisation
    parties = list(
        Party.objects.for_organisation(organisation).filter(is_active=True).order_by("pk")
    )
    done = set(
        Screening.objects.filter(job=job, organisation=organisation).values_list(
            "party_id", flat=True
        )
    )
    new_hits, screened = [], 0
    total = len(parties) or 1
    for position, party in enumerate(parties, start=1):
        if party.pk not in done:
            screening = party_screen(party=party, job=job, source=Screening.Source.BATCH)
            new_hits += new_alert_hits(screening)
            screened += 1
        if position % 10 == 0 or position == len(parties):
            progress(
                int(position * 100 / total),
                str(_("%(done)d of %(total)d parties")) % {"done": position, "total": len(parties)},
            )
    # Approved-but-not-shipped transactions with a new hit go back to review (trade, E4).
    from trade.services.transaction import transactions_recheck_after_rescreen

    transactions_recheck_after_rescreen(organisation=organisation)
    reason = job.params.get("reason", "")
    hits_notify(
        organisation=organisation,
        hits=new_hits,
        context_line=str(_("Batch re-screening after: %(reason)s")) % {"reason": reason}
        if reason
        else "",
    )
    return {
        "result": {"parties": len(parties), "screened": screened, "new_hits": len(new_hits)},
        "result_url": reverse("screening:queue"),
    }


def rescreen_enqueue(*, organisation, user=None, reason: str = "") -> Job:
    """Start a batch re-screening (after the current transaction commits)."""
    return job_enqueue(
        kind=KIND, organisation=organisation, created_by=user, params={"reason": reason}
    )


def rescreen_enqueue_for_version(*, version_id: int) -> list[Job]:
    """A list got a new version: re-screen the parties of every organisation that sees it."""
    from accounts.models import Organisation
    from screening.models import ListVersion
    from trade.models import Party

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
        rescreen_enqueue(organisation=org, user=version.created_by, reason=reason)
        for org in organisations.exclude(pk__in=covered)
    ]
