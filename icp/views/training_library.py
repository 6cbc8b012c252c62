"""E6 course library pages: the courses that come with the workbench, a course's material (to
read and print), its quiz, and the marked result with the certificate of a pass."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from icp.forms.training import QuizForm
from icp.selectors import training as selectors
from icp.services import training_library as library


def _library_course(request, pk):
    """The organisation's course and its library entry; 404 for a course of its own making."""
    course = selectors.course_get(organisation=request.organisation, pk=pk)
    entry = library.library_course_of(course)
    if entry is None:
        raise Http404
    return course, entry


@organisation_required(roles=roles.PROGRAMME_READERS)
def course_library(request):
    """The library's courses, and which of them the organisation already uses."""
    adopted = selectors.course_library_status(organisation=request.organisation)
    return render(
        request,
        "icp/training/library.html",
        {
            "entries": [
                (entry, adopted.get(entry.code)) for entry in library.course_library().courses
            ],
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def course_library_adopt(request, code):
    try:
        course = library.course_adopt(
            organisation=request.organisation, user=request.user, code=code
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("icp:course_library")
    messages.success(request, _("The course was added to your courses."))
    return redirect(course)


@organisation_required()
def course_material(request, pk):
    """The course's material, for every member to read or print."""
    course, entry = _library_course(request, pk)
    return render(request, "icp/training/material.html", {"course": course, "entry": entry})


@organisation_required()
def course_quiz(request, pk):
    course, entry = _library_course(request, pk)
    form = QuizForm(request.POST or None, questions=entry.questions)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = library.quiz_submit(
                organisation=request.organisation,
                user=request.user,
                course=course,
                answers=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(attempt)
    return render(
        request,
        "icp/training/quiz.html",
        {
            "course": course,
            "entry": entry,
            "form": form,
            "attempts": selectors.quiz_attempts(
                organisation=request.organisation, course=course, user=request.user
            )[:5],
        },
    )


@organisation_required()
def quiz_attempt_detail(request, pk):
    """A marked attempt: the score, each question with the answer chosen, the right one and its
    legal basis. Members see their own; programme readers every member's."""
    own_only = request.membership.role not in roles.PROGRAMME_READERS
    attempt = selectors.quiz_attempt_get(
        organisation=request.organisation, pk=pk, user=request.user if own_only else None
    )
    entry = library.library_course_of(attempt.course)
    questions = {question.code: question for question in (entry.questions if entry else ())}
    rows = [
        {
            "question": questions.get(mark["code"]),
            "chosen": mark["chosen"],
            "answer": mark["answer"],
            "correct": mark["chosen"] == mark["answer"],
        }
        for mark in attempt.marking
    ]
    return render(
        request,
        "icp/training/quiz_attempt.html",
        {"attempt": attempt, "course": attempt.course, "rows": rows},
    )
