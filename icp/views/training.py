"""E6 education and training pages: courses, sessions and results, the training matrix, the
overdue list, coverage per training function, and each person's own training and certificates."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import organisation_required
from core.exports import csv_response, xlsx_response
from core.forms import add_service_errors
from core.i18n import joined, localised
from core.lists import ScopedListView
from icp.forms.training import (
    CourseForm,
    SessionResultsForm,
    TrainingFunctionsForm,
    TrainingSessionForm,
)
from icp.models import Course, TrainingFunction, TrainingSession
from icp.selectors import training as selectors
from icp.services import training as services


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@organisation_required()
def training_overview(request):
    """E6 home: coverage per function, what is overdue, recent sessions. Staff see their own."""
    if request.membership.role not in roles.PROGRAMME_READERS:
        return redirect("icp:training_mine")
    matrix = selectors.training_matrix(organisation=request.organisation)
    overdue = selectors.training_overdue(matrix=matrix)
    return render(
        request,
        "icp/training/overview.html",
        {
            "matrix": matrix,
            "coverage": selectors.training_coverage(matrix=matrix),
            "overdue": overdue[:10],
            "overdue_count": len(overdue),
            "people_overdue": len({item.row.user.pk for item in overdue}),
            "sessions": selectors.session_list(organisation=request.organisation)[:5],
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required()
def training_mine(request):
    """What every member sees: the courses required of them, their status, their certificates."""
    return render(
        request,
        "icp/training/mine.html",
        {
            "row": selectors.training_for_member(
                organisation=request.organisation, membership=request.membership
            ),
            "attendances": selectors.attendances_of(
                organisation=request.organisation, user=request.user
            ),
            "is_reader": request.membership.role in roles.PROGRAMME_READERS,
        },
    )


class CourseFilter(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(label=gettext_lazy("In use"))

    class Meta:
        model = Course
        fields = ["is_active"]


class CourseListView(ScopedListView):
    model = Course
    roles = roles.PROGRAMME_READERS
    template_name = "icp/training/course_list.html"
    filterset_class = CourseFilter
    search_fields = ("topic_zh", "topic_en", "description_zh", "description_en")
    export_filename = "training-courses"
    export_columns = (
        (gettext_lazy("Topic"), lambda course: localised(course, "topic")),
        (gettext_lazy("Audience"), lambda course: joined(course.audience_labels)),
        (gettext_lazy("Duration (minutes)"), "duration_minutes"),
        (gettext_lazy("Refresher interval (months)"), "refresher_months"),
        (gettext_lazy("Quiz pass mark"), "pass_mark"),
        (gettext_lazy("In use"), "is_active"),
        (gettext_lazy("Sessions"), "session_count"),
    )

    def get_base_queryset(self):
        return selectors.course_list(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, can_edit=self.membership.role in roles.PROGRAMME_EDITORS
        )


def _course(request, pk) -> Course:
    return selectors.course_get(organisation=request.organisation, pk=pk)


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def course_edit(request, pk=None):
    course = _course(request, pk) if pk else None
    form = CourseForm(
        request.POST or None,
        instance=course,
        initial=None if course else {"audience": ["all"], "duration_minutes": 60},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if course:
                course = services.course_update(
                    course=course, user=request.user, **form.cleaned_data
                )
            else:
                course = services.course_create(
                    organisation=request.organisation, user=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Course saved."))
            return redirect(course)
    return render(request, "icp/training/course_form.html", {"form": form, "course": course})


@organisation_required(roles=roles.PROGRAMME_READERS)
def course_detail(request, pk):
    course = _course(request, pk)
    matrix = selectors.training_matrix(organisation=request.organisation)
    index = next((i for i, c in enumerate(matrix.courses) if c.pk == course.pk), None)
    required = [
        (row, row.cells[index])
        for row in matrix.rows
        if index is not None and row.cells[index].required
    ]
    return render(
        request,
        "icp/training/course_detail.html",
        {
            "course": course,
            "sessions": selectors.course_sessions(course=course),
            "required": required,
            "current_count": sum(1 for _row, cell in required if cell.is_valid),
            "attempts": selectors.quiz_attempts(organisation=request.organisation, course=course)[
                :20
            ],
            "risks": course.mitigated_risks.select_related("assessment").order_by(
                "-assessment__assessment_date", "key"
            ),
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


class SessionFilter(django_filters.FilterSet):
    course = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Course"),
        queryset=lambda request: selectors.course_list(organisation=request.organisation),
    )
    date_from = django_filters.DateFilter(
        label=gettext_lazy("From"), field_name="date", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(
        label=gettext_lazy("To"), field_name="date", lookup_expr="lte"
    )

    class Meta:
        model = TrainingSession
        fields = ["course"]


class SessionListView(ScopedListView):
    model = TrainingSession
    roles = roles.PROGRAMME_READERS
    template_name = "icp/training/session_list.html"
    filterset_class = SessionFilter
    search_fields = ("trainer", "location", "course__topic_zh", "course__topic_en", "notes")
    export_filename = "training-sessions"
    export_columns = (
        (gettext_lazy("Date"), "date"),
        (gettext_lazy("Course"), "course"),
        (gettext_lazy("Trainer"), "trainer"),
        (gettext_lazy("Location"), "location"),
        (gettext_lazy("Online"), "is_online"),
        (gettext_lazy("Attendees"), "attendee_count"),
    )

    def get_base_queryset(self):
        return selectors.session_list(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, can_edit=self.membership.role in roles.PROGRAMME_EDITORS
        )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def session_edit(request, pk=None):
    session = selectors.session_get(organisation=request.organisation, pk=pk) if pk else None
    initial = {} if session else {"date": timezone.localdate()}  # never over a stored date
    if session is None and request.GET.get("course", "").isdigit():
        initial["course"] = int(request.GET["course"])
    form = TrainingSessionForm(
        request.POST or None,
        instance=session,
        initial=initial,
        organisation=request.organisation,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attendees = data.pop("attendees")
        try:
            if session:
                session = services.training_session_update(
                    session=session, user=request.user, attendees=attendees, **data
                )
            else:
                session = services.training_session_create(
                    organisation=request.organisation,
                    user=request.user,
                    attendees=attendees,
                    **data,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect(session)
    return render(request, "icp/training/session_form.html", {"form": form, "session": session})


@organisation_required(roles=roles.PROGRAMME_READERS)
def session_detail(request, pk):
    session = selectors.session_get(organisation=request.organisation, pk=pk)
    return render(
        request,
        "icp/training/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "attendances": selectors.session_attendances(session=session),
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def session_results(request, pk):
    """Record the quiz scores of a session's attendees on one page."""
    session = selectors.session_get(organisation=request.organisation, pk=pk)
    form = SessionResultsForm(
        request.POST or None, attendances=selectors.session_attendances(session=session)
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.attendance_scores_record(
                session=session, user=request.user, scores=form.scores()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d score saved.", "%(count)d scores saved.", changed)
                % {"count": changed},
            )
            return redirect(session)
    return render(request, "icp/training/session_results.html", {"form": form, "session": session})


MATRIX_PAGE_SIZE = 50


def _table_response(lines: list[list], name: str, title: str, extension: str) -> HttpResponse:
    """A computed table (not a queryset) as CSV or XLSX, through the one export helper."""
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{extension}"
    if extension == "csv":
        return csv_response(lines, filename=filename)
    return xlsx_response(lines, filename=filename, sheet_title=title)


def _matrix_rows(request, matrix):
    rows = matrix.rows
    function = request.GET.get("function", "")
    if function in TrainingFunction.values:
        rows = [row for row in rows if row.function == function]
    query = request.GET.get("q", "").strip().lower()
    if query:
        rows = [
            row
            for row in rows
            if query in str(row.user).lower()
            or query in row.user.email.lower()
            or query in row.membership.job_title.lower()
        ]
    if request.GET.get("status") == "missing":
        rows = [row for row in rows if not row.is_current]
    return rows


def _matrix_export(matrix, rows, extension: str) -> HttpResponse:
    headers = [_("Member"), _("E-mail"), _("Job title"), _("Training function")]
    for course in matrix.courses:
        headers += [
            f"{course} · {_('Last completed')}",
            f"{course} · {_('Due')}",
            f"{course} · {_('Status')}",
        ]
    lines = [headers]
    for row in rows:
        line = [str(row.user), row.user.email, row.membership.job_title, str(row.function_label)]
        for cell in row.cells:
            line += [cell.completed_on or "", cell.due or "", str(cell.label)]
        lines.append(line)
    return _table_response(lines, "training-matrix", _("Training matrix"), extension)


@organisation_required(roles=roles.PROGRAMME_READERS)
def training_matrix(request):
    """Members x courses: last completed, due date, status. Search, filter, page, export."""
    matrix = selectors.training_matrix(organisation=request.organisation)
    rows = _matrix_rows(request, matrix)
    if request.GET.get("export") in ("csv", "xlsx"):
        return _matrix_export(matrix, rows, request.GET["export"])
    page = Paginator(rows, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return render(
        request,
        "icp/training/matrix.html",
        {
            "matrix": matrix,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "page_query": params.urlencode(),
            "functions": TrainingFunction.choices,
            "function": request.GET.get("function", ""),
            "status": request.GET.get("status", ""),
            "search_query": request.GET.get("q", ""),
            "coverage": selectors.training_coverage(matrix=matrix),
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def training_overdue(request):
    matrix = selectors.training_matrix(organisation=request.organisation)
    items = selectors.training_overdue(matrix=matrix)
    function = request.GET.get("function", "")
    if function in TrainingFunction.values:
        items = [item for item in items if item.row.function == function]
    if request.GET.get("export") in ("csv", "xlsx"):
        return _overdue_export(items, request.GET["export"])
    params = request.GET.copy()
    params.pop("export", None)
    return render(
        request,
        "icp/training/overdue.html",
        {
            "items": items,
            "today": matrix.today,
            "functions": TrainingFunction.choices,
            "function": function,
            "page_query": params.urlencode(),
        },
    )


def _overdue_export(items, extension: str) -> HttpResponse:
    headers = [
        _("Member"),
        _("E-mail"),
        _("Training function"),
        _("Course"),
        _("Status"),
        _("Last completed"),
        _("Due"),
    ]
    lines = [headers] + [
        [
            str(item.row.user),
            item.row.user.email,
            str(item.row.function_label),
            str(item.cell.course),
            str(item.cell.label),
            item.cell.completed_on or "",
            item.cell.due or "",
        ]
        for item in items
    ]
    return _table_response(lines, "training-overdue", _("Overdue training"), extension)


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def training_functions(request):
    """Set every member's training function on one page (decides which courses they need)."""
    matrix = selectors.training_matrix(organisation=request.organisation)
    form = TrainingFunctionsForm(request.POST or None, rows=matrix.rows)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            for member, function in changes:
                services.training_profile_set(
                    organisation=request.organisation,
                    user=request.user,
                    member=member,
                    function=function,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d training function changed.",
                    "%(count)d training functions changed.",
                    len(changes),
                )
                % {"count": len(changes)},
            )
            return redirect("icp:training_matrix")
    return render(request, "icp/training/functions.html", {"form": form})


@organisation_required()
def attendance_certificate(request, pk):
    """The completion certificate PDF. Staff may download only their own."""
    own_only = request.membership.role not in roles.PROGRAMME_READERS
    attendance = selectors.attendance_get(
        organisation=request.organisation, pk=pk, user=request.user if own_only else None
    )
    language = "en" if (get_language() or "").startswith("en") else "zh-hans"
    try:
        pdf = services.attendance_certificate_pdf(attendance=attendance, language=language)
    except ValidationError as error:
        _error(request, error)
        return redirect("icp:training_mine" if own_only else attendance.get_absolute_url())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"certificate-{services.certificate_number(attendance)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
