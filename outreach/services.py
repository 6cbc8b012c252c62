"""Outreach rules: a chamber's events (registration within the places and before the deadline,
race-safe; cancellation; attendance; certificates) and its case library.

The chamber's writes check the actor's role in the chamber; a registration checks that the
person's organisation is an active member of the chamber. Every record keeps its history, which
reaches the chamber's event log; a registration and its attendance are also appended to the
member's log, because they concern its people.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts.permissions import require_role
from chambers.models import ChamberMembershipStatus
from chambers.selectors import memberships_of_member
from chambers.services import chamber_of
from core.pdf import render_pdf
from icp.models import Attendance, Course, TrainingSession
from icp.services.training import training_session_create, training_session_update
from icp.services.training_library import course_library
from records.services.eventlog import event_log_append
from records.services.reminders import reminders_notify

from .citations import citable_provisions
from .models import (
    CaseStatus,
    EnforcementCase,
    Event,
    Registration,
    RegistrationStatus,
)

EVENT_FIELDS = (
    "kind",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "starts_at",
    "duration_minutes",
    "place",
    "online_link",
    "capacity",
    "registration_deadline",
    "library_code",
)
# What a registered person needs to know again when it changes.
SCHEDULE_FIELDS = ("starts_at", "duration_minutes", "place", "online_link")
CASE_FIELDS = (
    "title_zh",
    "title_en",
    "authority",
    "authority_name",
    "decision_number",
    "decision_date",
    "source",
    "summary_zh",
    "summary_en",
    "lessons_zh",
    "lessons_en",
    "provisions",
)


def _require_chamber(organisation) -> None:
    if chamber_of(organisation) is None:
        raise ValidationError(_("This organisation is not a chamber of commerce."))


def is_active_member(*, chamber, member) -> bool:
    return (
        memberships_of_member(organisation=member)
        .filter(organisation=chamber, status=ChamberMembershipStatus.ACTIVE)
        .exists()
    )


# --- events ------------------------------------------------------------------------------------


def _check_event(event: Event, cases) -> None:
    errors: dict[str, str] = {}
    if not event.place.strip() and not event.online_link.strip():
        errors["place"] = _("Give the place or the online meeting link.")
    if (
        event.registration_deadline
        and event.starts_at
        and event.registration_deadline > event.starts_at
    ):
        errors["registration_deadline"] = _("Registration must close before the event starts.")
    if event.library_code and course_library().get(event.library_code) is None:
        errors["library_code"] = _("This course is not in the course library.")
    if any(case.organisation_id != event.organisation_id for case in cases):
        errors["cases"] = _("Link only cases from your own case library.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(*, organisation, actor, data: dict) -> Event:
    """A chamber's compliance manager announces an event to the members."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=actor)
    _require_chamber(organisation)
    event = Event(organisation=organisation, created_by=actor)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    cases = list(data.get("cases") or [])
    _check_event(event, cases)
    event.full_clean()
    event.save()
    event.cases.set(cases)
    return event


def _refuse_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled."))


def _active_registrations(event: Event) -> list[Registration]:
    return list(
        event.registrations.filter(status=RegistrationStatus.REGISTERED).select_related("member")
    )


def _members_notify(registrations: list[Registration]) -> None:
    """The notification centre of each member whose people registered (outreach/hooks.py has
    the reminder source that names the change)."""
    for member in {
        registration.member_id: registration.member for registration in registrations
    }.values():
        reminders_notify(organisation=member)


@transaction.atomic
def event_update(*, event: Event, actor, data: dict) -> Event:
    """The chamber changes an event it announced. Saved unchanged, nothing is written. When the
    time or the place changes while people are registered, they are notified."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=event.organisation, user=actor)
    _require_chamber(event.organisation)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_cancelled(event)
    changed = [name for name in EVENT_FIELDS if name in data and getattr(event, name) != data[name]]
    cases = list(data["cases"]) if "cases" in data else list(event.cases.all())
    cases_changed = {case.pk for case in cases} != set(event.cases.values_list("pk", flat=True))
    if not changed and not cases_changed:
        return event
    for name in changed:
        setattr(event, name, data[name])
    _check_event(event, cases)
    registrations = _active_registrations(event)
    if event.capacity < len(registrations):
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(count)d person is registered: give at least as many places.",
                    "%(count)d people are registered: give at least as many places.",
                    len(registrations),
                )
                % {"count": len(registrations)}
            }
        )
    rescheduled = bool(registrations) and any(name in SCHEDULE_FIELDS for name in changed)
    if rescheduled:
        event.rescheduled_at = timezone.now()
    if changed:
        event.full_clean()
        event.save()
    if cases_changed:
        event.cases.set(cases)
    if rescheduled:
        for registration in registrations:
            _log_for_member(registration, actor, "event time or place changed")
        _members_notify(registrations)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor, reason: str) -> Event:
    """The chamber cancels an event. The event and its registrations stay as records; the people
    registered are notified; no one registers or is marked present any more. Certificates
    already issued stay verifiable."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=event.organisation, user=actor)
    _require_chamber(event.organisation)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_cancelled(event)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason, for the members registered.")})
    event.cancelled_at = timezone.now()
    event.cancelled_by = actor
    event.cancellation_reason = reason
    event.save()
    registrations = _active_registrations(event)
    for registration in registrations:
        _log_for_member(registration, actor, "event cancelled")
    _members_notify(registrations)
    return event


def _log_for_member(registration: Registration, actor, step: str) -> None:
    event_log_append(
        organisation=registration.member,
        action="change",
        actor=actor,
        target=registration,
        details={"outreach_registration": step},
    )


def _active_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def event_register(*, event: Event, member, actor) -> Registration:
    """Register the actor, a person of a member organisation, for the event. The event row is
    locked while the places are counted, so two people never take the last place together."""
    require_role(roles=roles.ALL_MEMBERS, organisation=member, user=actor)
    if not is_active_member(chamber=event.organisation, member=member):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_cancelled(event)
    now = timezone.now()
    if now > event.registration_deadline:
        raise ValidationError(_("Registration for this event has closed."))
    registration = Registration.objects.filter(event=event, user=actor).first()
    if registration is not None and registration.is_active:
        raise ValidationError(_("You are already registered for this event."))
    if _active_count(event) >= event.capacity:
        raise ValidationError(_("This event is full."))
    if registration is None:
        registration = Registration(organisation=event.organisation, event=event, user=actor)
    registration.member = member
    registration.status = RegistrationStatus.REGISTERED
    registration.registered_at = now
    registration.cancelled_at = None
    registration.save()
    _log_for_member(registration, actor, "registered")
    return registration


@transaction.atomic
def event_registration_cancel(*, registration: Registration, actor) -> Registration:
    """The person who registered gives their place back, until the event starts."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.user_id != actor.pk:
        raise PermissionDenied
    if not registration.is_active:
        raise ValidationError(_("This registration is already cancelled."))
    _refuse_cancelled(registration.event)
    if timezone.now() >= registration.event.starts_at:
        raise ValidationError(_("The event has started; the registration can no longer change."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save()
    _log_for_member(registration, actor, "cancelled")
    return registration


def _training_course(registration: Registration) -> Course | None:
    code = registration.event.library_code
    if not code:
        return None
    return (
        Course.objects.for_organisation(registration.member)
        .filter(library_code=code, is_active=True)
        .first()
    )


def _training_record(registration: Registration, actor) -> Attendance | None:
    """Record the attendance in the member's training records (E6) when the event teaches a
    library course the member has added: one session per event and member, its trainer the
    chamber. Through the programme's own services, so its rules apply."""
    course = _training_course(registration)
    if course is None:
        return None
    event = registration.event
    day = timezone.localtime(event.starts_at).date()
    # In Chinese whoever records it, so the session is found again by the same values.
    trainer, notes = event.organisation.name_zh, event.title_zh
    session = (
        TrainingSession.objects.for_organisation(registration.member)
        .filter(course=course, date=day, trainer=trainer, notes=notes, is_self_study=False)
        .first()
    )
    if session is not None:
        users = [attendance.user for attendance in session.attendances.select_related("user")]
        training_session_update(session=session, user=actor, attendees=[*users, registration.user])
    else:
        session = training_session_create(
            organisation=registration.member,
            user=actor,
            course=course,
            date=day,
            trainer=trainer,
            location=event.place or event.online_link[:200],
            is_online=bool(event.online_link) and not event.place,
            notes=notes,
            attendees=[registration.user],
        )
    return Attendance.objects.get(session=session, user=registration.user)


def _training_record_remove(registration: Registration, actor) -> None:
    attendance = registration.training_attendance
    if attendance is None:
        return
    session: TrainingSession = attendance.session
    others = [a.user for a in session.attendances.select_related("user") if a.pk != attendance.pk]
    registration.training_attendance = None
    registration.save(update_fields=["training_attendance"])
    # The session stays even when nobody is left in it: a training record is kept (REGS Art. 27).
    training_session_update(session=session, user=actor, attendees=others)


@transaction.atomic
def event_attendance_record(*, event: Event, actor, attended_ids) -> int:
    """The chamber records who attended (the registrations listed; the others did not). Each
    newly attended registration gets its certificate's verification code and, where the member
    has the course, a training record. Returns how many registrations changed."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=event.organisation, user=actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_cancelled(event)
    if timezone.now() < event.starts_at:
        raise ValidationError(_("Attendance is recorded once the event has started."))
    wanted = {int(pk) for pk in attended_ids}
    registrations = list(
        event.registrations.filter(status=RegistrationStatus.REGISTERED).select_related(
            "member", "user", "event__organisation"
        )
    )
    unknown = wanted - {registration.pk for registration in registrations}
    if unknown:
        raise ValidationError(_("Record attendance only of people registered for this event."))
    changed = 0
    for registration in registrations:
        attended = registration.pk in wanted
        if attended == registration.attended:
            continue
        registration.attended = attended
        registration.attendance_marked_by = actor
        if attended:
            registration.verification_code = registration.verification_code or (
                secrets.token_urlsafe(12)
            )
            registration.training_attendance = _training_record(registration, actor)
        else:
            _training_record_remove(registration, actor)
        registration.save()
        _log_for_member(registration, actor, "attended" if attended else "not attended")
        changed += 1
    return changed


def event_certificate_pdf(*, registration: Registration, language: str) -> bytes:
    """The attendance certificate, issued by the chamber, in `language` (zh-hans or en)."""
    if not (registration.attended and registration.is_active):
        raise ValidationError(_("A certificate is issued only for an attended event."))
    event = registration.event
    return render_pdf(
        "outreach/certificate_pdf.html",
        {
            "registration": registration,
            "event": event,
            "chamber": event.organisation,
            "local_start": timezone.localtime(event.starts_at),
            "course": course_library().get(event.library_code) if event.library_code else None,
            "verify_url": settings.ICP_SITE_URL.rstrip("/")
            + reverse("outreach:certificate_verify", args=[registration.verification_code]),
        },
        language=language,
    )


# --- the case library --------------------------------------------------------------------------


def _save_case(case: EnforcementCase, data: dict) -> EnforcementCase:
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    errors: dict[str, str] = {}
    if not case.source.strip():
        errors["source"] = _("Give the source: where the decision is published.")
    if case.authority == "other" and not case.authority_name.strip():
        errors["authority_name"] = _("Name the authority that decided.")
    if case.decision_date and case.decision_date > timezone.localdate():
        errors["decision_date"] = _("The date cannot be in the future.")
    known = {provision.ref_id for provision in citable_provisions()}
    if any(ref_id not in known for ref_id in case.provisions):
        errors["provisions"] = _("Choose the provisions from the list.")
    if errors:
        raise ValidationError(errors)
    case.provisions = sorted(set(case.provisions))
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def enforcement_case_create(*, organisation, actor, data: dict) -> EnforcementCase:
    """Enter a published decision into the organisation's case library (a draft)."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=organisation, user=actor)
    return _save_case(EnforcementCase(organisation=organisation, created_by=actor), data)


@transaction.atomic
def enforcement_case_update(*, case: EnforcementCase, actor, data: dict) -> EnforcementCase:
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=case.organisation, user=actor)
    return _save_case(case, data)


@transaction.atomic
def enforcement_case_publish(*, case: EnforcementCase, actor) -> EnforcementCase:
    """A chamber publishes a case to its members."""
    require_role(roles=roles.PROGRAMME_EDITORS, organisation=case.organisation, user=actor)
    _require_chamber(case.organisation)
    case = EnforcementCase.objects.select_for_update().get(pk=case.pk)
    if case.is_published:
        raise ValidationError(_("This case is already published."))
    case.status = CaseStatus.PUBLISHED
    case.published_by = actor
    case.published_at = timezone.now()
    case.save()
    return case
