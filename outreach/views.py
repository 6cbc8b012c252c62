"""Outreach pages: a chamber's events and registrations, members' events and certificates, the
public check of a certificate, and the case library.

Views check the role with @organisation_required and read only through the selectors, which are
scoped: a chamber's event pages answer 404 in an organisation that is not a chamber or for an
event of another chamber; a member sees a chamber's events and published cases only while it is
an active member; a person downloads only their own certificate.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from chambers.services import chamber_of
from core.forms import add_service_errors
from icp.services.training_library import course_library

from . import selectors, services
from .forms import AttendanceForm, EnforcementCaseForm, EventCancelForm, EventForm
from .models import CaseStatus, EnforcementCase, Event, Registration


def _chamber(request):
    chamber = chamber_of(request.organisation)
    if chamber is None:
        raise Http404
    return chamber


def _can_edit(request) -> bool:
    return request.membership.role in roles.PROGRAMME_EDITORS


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _library_course(event: Event):
    return course_library().get(event.library_code) if event.library_code else None


# --- the chamber's events ----------------------------------------------------------------------


@organisation_required(roles=roles.PROGRAMME_READERS)
def event_list(request):
    chamber = _chamber(request)
    return render(
        request,
        "outreach/event_list.html",
        {
            "chamber": chamber,
            "events": selectors.event_list(organisation=request.organisation),
            "can_edit": _can_edit(request),
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def event_create(request):
    chamber = _chamber(request)
    form = EventForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                organisation=request.organisation, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is announced to your members."))
            return redirect(event)
    return render(request, "outreach/event_form.html", {"chamber": chamber, "form": form})


def _own_event(request, pk) -> Event:
    try:
        return selectors.event_get(organisation=request.organisation, pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def event_update(request, pk):
    chamber = _chamber(request)
    event = _own_event(request, pk)
    if event.is_cancelled:
        messages.error(request, _("This event is cancelled."))
        return redirect(event)
    form = EventForm(request.POST or None, instance=event, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event=event, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    return render(
        request, "outreach/event_form.html", {"chamber": chamber, "form": form, "event": event}
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def event_cancel(request, pk):
    chamber = _chamber(request)
    event = _own_event(request, pk)
    if event.is_cancelled:
        messages.error(request, _("This event is cancelled."))
        return redirect(event)
    form = EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                event=event, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The event is cancelled; the people registered are notified.")
            )
            return redirect(event)
    return render(
        request, "outreach/event_cancel.html", {"chamber": chamber, "form": form, "event": event}
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def event_detail(request, pk):
    """The event and who registered (names and organisations); attendance once it started."""
    chamber = _chamber(request)
    event = _own_event(request, pk)
    registrations = list(selectors.event_registrations(event=event))
    active = [registration for registration in registrations if registration.is_active]
    started = timezone.now() >= event.starts_at
    return render(
        request,
        "outreach/event_detail.html",
        {
            "chamber": chamber,
            "event": event,
            "registrations": registrations,
            "attendance_form": AttendanceForm(registrations=active),
            "started": started,
            "can_record": _can_edit(request) and started and not event.is_cancelled,
            "course": _library_course(event),
            "can_edit": _can_edit(request),
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def event_attendance(request, pk):
    _chamber(request)
    event = _own_event(request, pk)
    active = [r for r in selectors.event_registrations(event=event) if r.is_active]
    form = AttendanceForm(request.POST, registrations=active)
    if not form.is_valid():
        messages.error(request, _("Record attendance only of people registered for this event."))
        return redirect(event)
    try:
        changed = services.event_attendance_record(
            event=event, actor=request.user, attended_ids=form.cleaned_data["attended"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Attendance recorded (%(count)d changed).") % {"count": changed}
        )
    return redirect(event)


# --- a member's events -------------------------------------------------------------------------


@organisation_required()
def member_event_list(request):
    """Events of the organisation's chambers, and the person's own registrations."""
    registrations = {
        r.event_id: r
        for r in selectors.own_registrations(organisation=request.organisation, user=request.user)
    }
    events = list(selectors.events_for_member(organisation=request.organisation))
    for event in events:
        event.own_registration = registrations.get(event.pk)
    now = timezone.now()
    return render(
        request,
        "outreach/member_event_list.html",
        {
            "upcoming": [event for event in events if event.starts_at >= now],
            "past": [event for event in events if event.starts_at < now][::-1],
        },
    )


@organisation_required()
def member_event_detail(request, pk):
    try:
        event = selectors.member_event_get(organisation=request.organisation, pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None
    registration = selectors.own_registration(event=event, user=request.user)
    if registration is not None and registration.member_id != request.organisation.pk:
        registration = None
    now = timezone.now()
    return render(
        request,
        "outreach/member_event_detail.html",
        {
            "event": event,
            "registration": registration,
            "can_register": not event.is_cancelled
            and now <= event.registration_deadline
            and event.registered < event.capacity
            and not (registration and registration.is_active),
            "can_cancel": registration is not None
            and registration.is_active
            and not event.is_cancelled
            and now < event.starts_at,
            "course": _library_course(event),
            "cases": event.cases.filter(status=CaseStatus.PUBLISHED),
        },
    )


@require_POST
@organisation_required()
def event_register(request, pk):
    try:
        event = selectors.member_event_get(organisation=request.organisation, pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None
    try:
        services.event_register(event=event, member=request.organisation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are registered."))
    return redirect("outreach:member_event_detail", pk=event.pk)


def _own_registration(request, pk) -> Registration:
    try:
        return selectors.registration_for_user_get(
            organisation=request.organisation, user=request.user, pk=pk
        )
    except Registration.DoesNotExist:
        raise Http404 from None


@require_POST
@organisation_required()
def registration_cancel(request, pk):
    registration = _own_registration(request, pk)
    try:
        services.event_registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("outreach:member_event_detail", pk=registration.event_id)


@organisation_required()
def registration_certificate(request, pk):
    registration = _own_registration(request, pk)
    try:
        pdf = services.event_certificate_pdf(registration=registration, language=_language())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("outreach:member_event_detail", pk=registration.event_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"certificate-{registration.certificate_number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def certificate_verify(request, code):
    """Public: anyone holding a certificate can check that the chamber issued it."""
    registration = selectors.registration_verify(code=code)
    return render(
        request,
        "outreach/certificate_verify.html",
        {"registration": registration},
        status=200 if registration else 404,
    )


# --- the case library --------------------------------------------------------------------------


@organisation_required()
def case_list(request):
    """Cases from the organisation's chambers for everyone; the organisation's own library
    (drafts included) for its readers."""
    readers = request.membership.role in roles.PROGRAMME_READERS
    return render(
        request,
        "outreach/case_list.html",
        {
            "chamber_cases": selectors.cases_for_member(organisation=request.organisation),
            "own_cases": selectors.case_list(organisation=request.organisation)
            if readers
            else None,
            "can_edit": _can_edit(request),
            "is_chamber": chamber_of(request.organisation) is not None,
        },
    )


def _case_page(request, case: EnforcementCase, *, own: bool):
    return render(
        request,
        "outreach/case_detail.html",
        {
            "case": case,
            "citations": selectors.case_citations(case),
            "own": own,
            "can_edit": own and _can_edit(request),
            "can_publish": own
            and _can_edit(request)
            and not case.is_published
            and chamber_of(request.organisation) is not None,
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def case_detail(request, pk):
    try:
        case = selectors.case_get(organisation=request.organisation, pk=pk)
    except EnforcementCase.DoesNotExist:
        raise Http404 from None
    return _case_page(request, case, own=True)


@organisation_required()
def member_case_detail(request, pk):
    try:
        case = selectors.member_case_get(organisation=request.organisation, pk=pk)
    except EnforcementCase.DoesNotExist:
        raise Http404 from None
    return _case_page(request, case, own=False)


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def case_create(request):
    form = EnforcementCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.enforcement_case_create(
                organisation=request.organisation, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is in your case library."))
            return redirect(case)
    return render(request, "outreach/case_form.html", {"form": form, "case": None})


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def case_update(request, pk):
    try:
        case = selectors.case_get(organisation=request.organisation, pk=pk)
    except EnforcementCase.DoesNotExist:
        raise Http404 from None
    form = EnforcementCaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.enforcement_case_update(
                case=case, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect(case)
    return render(request, "outreach/case_form.html", {"form": form, "case": case})


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def case_publish(request, pk):
    try:
        case = selectors.case_get(organisation=request.organisation, pk=pk)
    except EnforcementCase.DoesNotExist:
        raise Http404 from None
    try:
        services.enforcement_case_publish(case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is published to your members."))
    return redirect(case)
