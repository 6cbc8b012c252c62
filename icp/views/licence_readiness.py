"""General-licence readiness (《两用物项出口管制条例》第十六条、第二十条): the conditions of
Art. 16 read from the records, the applicant's answers to the disqualifying situations of
Art. 20, and the nine elements of the programme."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from icp.forms.licence_readiness import DisqualifierForm
from icp.models import DISQUALIFIER_QUESTIONS, Disqualifier
from icp.selectors.licence_readiness import general_licence_checks
from icp.services.licence_readiness import disqualifiers_answer


def _page(request, form: DisqualifierForm | None = None):
    readiness = general_licence_checks(organisation=request.organisation)
    answers = readiness.answers
    typed = form.data if form is not None else {}
    questions = [
        {
            "name": question.value,
            "text": DISQUALIFIER_QUESTIONS[question],
            "answer": typed.get(question.value)
            if form is not None
            else (
                ("yes" if answers[question.value].applies else "no")
                if question.value in answers
                else ""
            ),
            "note": typed.get(f"{question.value}_note", "")
            if form is not None
            else (answers[question.value].note if question.value in answers else ""),
            "errors": [
                *form.errors.get(question.value, []),
                *form.errors.get(f"{question.value}_note", []),
            ]
            if form is not None
            else [],
        }
        for question in Disqualifier
    ]
    return render(
        request,
        "icp/readiness.html",
        {
            "checks": readiness.checks,
            "conditions": readiness.conditions,
            "disqualifiers": readiness.disqualifiers,
            "elements": readiness.elements,
            "questions": questions,
            "form": form,
            "met": readiness.met,
            "total": readiness.total,
            "can_request_pack": request.membership.role in roles.MANUAL_REQUESTERS,
            "can_answer": request.membership.role in roles.MANUAL_REQUESTERS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def readiness(request):
    """Readiness for a general licence: the conditions of Art. 16, the disqualifying situations
    of Art. 20 as answered by the company, and the nine elements."""
    return _page(request)


@require_POST
@organisation_required(roles=roles.MANUAL_REQUESTERS)
def readiness_disqualifiers(request):
    """Record the answers to the Art. 20 questions; a missing answer shows the page again with
    what was typed."""
    form = DisqualifierForm(request.POST)
    if form.is_valid():
        try:
            disqualifiers_answer(
                organisation=request.organisation, user=request.user, answers=form.answers()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answers are recorded."))
            return redirect(reverse("icp:readiness") + "#disqualifiers")
    return _page(request, form=form)
