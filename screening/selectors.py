"""Scoped reads: public lists for everyone, private lists and records for their organisation."""

from django.db.models import Count
from django.http import Http404

from accounts.roles import PROGRAMME_READERS
from core.models import Job
from screening.hooks import list_visibility_q
from screening.jobs import RESCREEN_KIND
from screening.models import (
    Adjudication,
    ListedEntity,
    ListVersion,
    Screening,
    ScreeningHit,
    ScreeningList,
    ScreeningSettings,
)
from screening.models.parties import Party


def list_visible(*, organisation):
    return (
        ScreeningList.objects.visible_to(organisation)
        .select_related("current_version", "organisation")
        .order_by("organisation_id", "code")
    )


def list_get(*, organisation, pk) -> ScreeningList:
    screening_list = list_visible(organisation=organisation).filter(pk=pk).first()
    if screening_list is None:
        raise Http404
    return screening_list


def version_get(*, organisation, pk) -> ListVersion:
    version = (
        ListVersion.objects.filter(
            list_visibility_q(organisation, prefix="screening_list__"), pk=pk
        )
        .select_related("screening_list", "created_by")
        .first()
    )
    if version is None:
        raise Http404
    return version


def entity_get(*, organisation, pk) -> ListedEntity:
    entity = (
        ListedEntity.objects.filter(
            list_visibility_q(organisation, prefix="version__screening_list__"), pk=pk
        )
        .select_related("version__screening_list")
        .first()
    )
    if entity is None:
        raise Http404
    return entity


def screening_get(*, membership, pk) -> Screening:
    """A screening of the member's organisation; staff see only their own."""
    screening = (
        Screening.objects.for_organisation(membership.organisation)
        .select_related("requested_by", "api_token", "party", "job")
        .filter(pk=pk)
        .first()
    )
    if screening is None:
        raise Http404
    if membership.role not in PROGRAMME_READERS and screening.requested_by_id != membership.user_id:
        raise Http404
    return screening


def screening_hits(screening: Screening):
    return screening.hits.select_related(
        "entity__version__screening_list",
        "adjudication__decided_by",
        "remembered__decided_by",
    ).order_by("rank")


def hit_get(*, organisation, pk) -> ScreeningHit:
    hit = (
        ScreeningHit.objects.filter(screening__organisation=organisation, pk=pk)
        .select_related("screening__party")
        .first()
    )
    if hit is None:
        raise Http404
    return hit


def hit_is_decided(*, hit: ScreeningHit) -> bool:
    """Whether the hit has its adjudication (read afresh, e.g. after a concurrent decision)."""
    return Adjudication.objects.filter(hit=hit).exists()


def screening_settings_get(*, organisation) -> ScreeningSettings:
    """The organisation's screening settings, or an unsaved row with the engine defaults."""
    return ScreeningSettings.objects.for_organisation(organisation).first() or ScreeningSettings(
        organisation=organisation
    )


def screenings_with_counts(*, organisation):
    return (
        Screening.objects.for_organisation(organisation)
        .select_related("requested_by", "party", "api_token")
        .annotate(hit_count=Count("hits", distinct=True))
    )


def version_rescreen(*, organisation, version) -> dict | None:
    """The organisation's re-screening started by this list version (or by the same change
    to several lists), with how many parties it covers and, once finished, how many new
    potential matches it found. None when the version started none for the organisation."""
    job = (
        Job.objects.filter(
            kind=RESCREEN_KIND, organisation=organisation, created_at__gte=version.created_at
        )
        .order_by("created_at")
        .first()
    )
    if job is None:
        return None
    parties = job.params.get("total")
    if parties is None:  # not planned yet: the parties it will screen
        parties = Party.objects.for_organisation(organisation).filter(is_active=True).count()
    return {
        "job": job,
        "parties": parties,
        "finished": job.status == Job.Status.SUCCEEDED,
        "new_hits": (job.result or {}).get("new_hits", 0),
    }
