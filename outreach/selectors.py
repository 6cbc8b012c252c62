"""Scoped reads of outreach. A chamber reads its own events, their registrations (the people
who registered with it, and their organisations) and its case library; a member reads the
events and published cases of the chambers it is an active member of, and its own people's
registrations. Nothing here reads a member's other records."""

from django.db.models import Count, Q

from chambers.models import ChamberMembershipStatus
from chambers.selectors import memberships_of_member

from .citations import citations_of
from .models import CaseStatus, EnforcementCase, Event, Registration, RegistrationStatus


def _chamber_ids(member):
    return (
        memberships_of_member(organisation=member)
        .filter(status=ChamberMembershipStatus.ACTIVE)
        .values("organisation_id")
    )


def _with_counts(queryset):
    return queryset.annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        )
    )


def event_list(*, organisation):
    """The chamber's own events, latest first, with the number registered."""
    return _with_counts(Event.objects.for_organisation(organisation)).order_by("-starts_at", "-pk")


def event_get(*, organisation, pk) -> Event:
    return event_list(organisation=organisation).get(pk=pk)


def event_registrations(*, event: Event):
    return event.registrations.select_related("member", "user").order_by(
        "status", "member__slug", "user__full_name", "pk"
    )


def events_for_member(*, organisation):
    """Events of the organisation's chambers, soonest first."""
    return (
        _with_counts(Event.objects.filter(organisation_id__in=_chamber_ids(organisation)))
        .select_related("organisation")
        .order_by("starts_at", "pk")
    )


def member_event_get(*, organisation, pk) -> Event:
    return events_for_member(organisation=organisation).get(pk=pk)


def own_registration(*, event: Event, user) -> Registration | None:
    return Registration.objects.filter(event=event, user=user).first()


def own_registrations(*, organisation, user):
    return Registration.objects.filter(member=organisation, user=user).select_related(
        "event", "event__organisation"
    )


def registrations_changed_for_member(*, organisation, since):
    """The organisation's people's active registrations for events cancelled, or moved in time
    or place, since `since`: what its notification centre tells them."""
    return (
        Registration.objects.filter(member=organisation, status=RegistrationStatus.REGISTERED)
        .filter(Q(event__cancelled_at__gte=since) | Q(event__rescheduled_at__gte=since))
        .select_related("event", "event__organisation")
        .order_by("event_id", "user_id")
    )


def registration_for_user_get(*, organisation, user, pk) -> Registration:
    """One of the user's own registrations made for this organisation, or DoesNotExist."""
    return own_registrations(organisation=organisation, user=user).get(pk=pk)


def registration_verify(*, code: str) -> Registration | None:
    """The attended registration a certificate's verification code names, if any."""
    if not code:
        return None
    return (
        Registration.objects.filter(
            verification_code=code, attended=True, status=RegistrationStatus.REGISTERED
        )
        .select_related("event", "event__organisation", "user", "member")
        .first()
    )


def case_list(*, organisation):
    return EnforcementCase.objects.for_organisation(organisation).order_by("-decision_date", "-pk")


def case_get(*, organisation, pk) -> EnforcementCase:
    return case_list(organisation=organisation).get(pk=pk)


def cases_for_member(*, organisation):
    """Cases the organisation's chambers have published."""
    return (
        EnforcementCase.objects.filter(
            organisation_id__in=_chamber_ids(organisation), status=CaseStatus.PUBLISHED
        )
        .select_related("organisation")
        .order_by("-decision_date", "-pk")
    )


def member_case_get(*, organisation, pk) -> EnforcementCase:
    return cases_for_member(organisation=organisation).get(pk=pk)


def case_citations(case: EnforcementCase) -> list[str]:
    return citations_of(case.provisions)
