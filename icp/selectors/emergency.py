"""Reads of E5: incidents (also for the anonymous reporter's follow-up page), their actions and
the response plans."""

from django.shortcuts import get_object_or_404

from icp.models import Incident, IncidentAction, IncidentEvent, ResponsePlan
from icp.services.emergency import receipt_hash


def incident_by_receipt(*, code: str) -> Incident | None:
    """The report whose receipt code is `code`, or None (an empty code finds nothing)."""
    if not code or not code.strip():
        return None
    return Incident.objects.filter(receipt_hash=receipt_hash(code)).first()


def replies_to_reporter(*, incident: Incident):
    """What the compliance team wrote to the reporter, oldest first."""
    return incident.events.filter(kind=IncidentEvent.Kind.REPLY).order_by("at", "pk")


def incident_get(*, organisation, pk) -> Incident:
    """The organisation's incident `pk`, 404 for another organisation's (who may read it is the
    view's question)."""
    return get_object_or_404(
        Incident.objects.for_organisation(organisation).select_related(
            "owner", "response_plan", "reported_by", "closed_by"
        ),
        pk=pk,
    )


def incident_action_get(*, incident: Incident, pk) -> IncidentAction:
    return get_object_or_404(IncidentAction.objects.filter(incident=incident), pk=pk)


def response_plan_get(*, organisation, pk) -> ResponsePlan:
    return get_object_or_404(
        ResponsePlan.objects.for_organisation(organisation).select_related("owner"), pk=pk
    )


def response_plan_scenarios(*, organisation) -> set[str]:
    """The scenarios the organisation has a response plan for."""
    return set(
        ResponsePlan.objects.for_organisation(organisation).values_list("scenario", flat=True)
    )
