"""Scoped reads of the party register."""

from django.shortcuts import get_object_or_404

from screening.models import Party, Screening


def party_get(*, organisation, pk) -> Party:
    """The organisation's party `pk`, or 404."""
    return get_object_or_404(Party.objects.for_organisation(organisation), pk=pk)


def party_recent_screenings(*, party: Party, limit: int = 10) -> list[Screening]:
    """The party's latest screenings, newest first, with who asked for them."""
    return list(party.screenings.select_related("requested_by").order_by("-created_at")[:limit])
