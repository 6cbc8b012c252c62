"""Re-screening a chunk of the party register as one batch (a re-screening job's chunk task,
screening/jobs.py).

The chunk goes through ``screenings_run``, the batch the screening API uses: the settings, the
lists, the listed entities and the remembered decisions are read once, the screenings, their
list versions and hits are bulk-created in one transaction with one lock of the event-log head,
and each screening still gets its own event-log entry. Each party's badge, last screening and
date are then written by one update for the whole chunk (each changed party still gets its
history row and event-log entry through the regulated bulk path, records/bulk.py). The number
of queries does not grow with the chunk.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Subquery, Value, When
from django.utils import timezone

from screening.models import HitDecision, Party, Screening, ScreeningStatus
from screening.services.screening import (
    PartyQuery,
    new_alert_hits_many,
    screening_hits,
    screenings_run,
)


@dataclass
class RescreenOutcome:
    """What a chunk did: how many parties it screened and the new potential matches found."""

    screened: int = 0
    new_hit_ids: list[int] = field(default_factory=list)


def party_query(party: Party) -> PartyQuery:
    """What ``party_screen`` screens for a party: all its names, its country and address, and
    whether it is a person or an organisation."""
    return PartyQuery(
        names=party.screening_names,
        country=str(party.country or ""),
        address=party.address,
        party=party,
        entity_type="person" if party.is_individual else "organization",
    )


def status_of_new_screening(screening: Screening) -> str:
    """The badge ``party_status_refresh`` derives from a screening just stored: nobody has
    decided on its hits yet, so an alert is either covered by a remembered false-positive
    decision or still needs a decision."""
    alerts = [hit for hit in screening_hits(screening) if hit.decision != HitDecision.CLEAR]
    if not alerts:
        return ScreeningStatus.CLEAR
    if any(hit.remembered_id is None for hit in alerts):
        return ScreeningStatus.NEEDS_REVIEW
    return ScreeningStatus.CLEARED


def parties_rescreen(*, job, party_ids: list[int]) -> RescreenOutcome:
    """Screen the active parties among ``party_ids`` that ``job`` has not screened yet, as one
    batch recorded under the job, and update their badges. All or nothing: after a failure,
    none of the chunk's parties is recorded as screened, and a retry screens them."""
    organisation = job.organisation
    parties = list(
        Party.objects.for_organisation(organisation)
        .filter(pk__in=party_ids, is_active=True)
        .exclude(Exists(Screening.objects.filter(job=job, party=OuterRef("pk"))))
        .order_by("pk")
    )
    if not parties:
        return RescreenOutcome()
    with transaction.atomic():
        screenings = screenings_run(
            organisation=organisation,
            queries=[party_query(party) for party in parties],
            source=Screening.Source.BATCH,
            job=job,
        )
        _badges_store(parties, screenings)
    new_hits = new_alert_hits_many(screenings)
    return RescreenOutcome(screened=len(screenings), new_hit_ids=[hit.pk for hit in new_hits])


def _badges_store(parties: list[Party], screenings: list[Screening]) -> None:
    """Each party's badge, last screening and its date, in one update (as
    ``party_status_refresh`` writes them for one party)."""
    by_status: dict[str, list[int]] = {}
    for party, screening in zip(parties, screenings, strict=True):
        by_status.setdefault(status_of_new_screening(screening), []).append(party.pk)
    latest = Screening.objects.filter(
        pk__in=[screening.pk for screening in screenings], party=OuterRef("pk")
    ).order_by("-created_at", "-pk")
    Party.objects.filter(pk__in=[party.pk for party in parties]).update(
        screening_status=Case(
            *[When(pk__in=ids, then=Value(status)) for status, ids in by_status.items()],
            default=F("screening_status"),
        ),
        last_screening=Subquery(latest.values("pk")[:1]),
        last_screened_at=Subquery(latest.values("created_at")[:1]),
        updated_at=timezone.now(),
    )
