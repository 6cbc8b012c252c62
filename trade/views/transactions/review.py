"""The review's course: the red-flag questionnaire, screening, submit, approve, reject, hold
and release, the shipment and the reports due after it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from trade.forms_transactions import (
    ApproveForm,
    DutyForm,
    ReasonForm,
    RedFlagAnswersForm,
    ResolveForm,
    ShippedForm,
)
from trade.models import Answer
from trade.selectors_transactions import (
    post_shipment_duty_get,
    red_flag_answer_get,
    transaction_get,
)
from trade.services import transaction as services
from trade.services.licence import post_shipment_duty_complete
from trade.services.review import review_context

from .actions import form_action, post_action
from .detail import render_detail


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def red_flags_answer(request, pk):
    """The questionnaire saved at once; any refusal saves nothing and shows the page again with
    every answer and note as typed and the refusals."""
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    form = RedFlagAnswersForm(request.POST)
    form.is_valid()
    flags = {str(flag.pk): flag for flag in review_context(transaction).red_flags}
    answers = {}
    for key, flag in flags.items():
        value = request.POST.get(f"answer-{key}", "")
        if value and value not in Answer.values:
            continue
        answers[flag] = (value, request.POST.get(f"note-{key}", "")[:2000])
    try:
        with db_transaction.atomic():
            errors = services.red_flags_answer_many(
                transaction=transaction, user=request.user, answers=answers
            )
            if errors:
                raise ValidationError(errors)  # undo the answers that were accepted
    except ValidationError as exc:
        for error in exc.messages:
            form.add_error(None, error)
        transaction = transaction_get(organisation=request.organisation, pk=pk)
        return render_detail(request, transaction, flag_form=form)
    messages.success(request, _("Answers saved."))
    return redirect(transaction.get_absolute_url() + "#red-flags")


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def red_flag_resolve(request, pk, answer_pk):
    answer = red_flag_answer_get(organisation=request.organisation, transaction_pk=pk, pk=answer_pk)
    return form_action(
        request,
        pk,
        ResolveForm(request.POST),
        lambda t, data: services.red_flag_resolve(
            answer=answer, user=request.user, justification=data["justification"]
        ),
        success=_("Red flag resolved."),
        form_name="resolve_form",
        resolve_answer_pk=answer.pk,
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def screen_parties(request, pk):
    def screen(t):
        count = services.transaction_screen_parties(
            transaction=t, user=request.user, only_stale=False
        )
        messages.success(
            request,
            ngettext("%(count)d party screened.", "%(count)d parties screened.", count)
            % {"count": count},
        )

    return post_action(request, pk, screen, success="")


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def submit(request, pk):
    return post_action(
        request,
        pk,
        lambda t: services.transaction_submit(transaction=t, user=request.user),
        success=_("Submitted for review."),
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def approve(request, pk):
    return form_action(
        request,
        pk,
        ApproveForm(request.POST),
        lambda t, data: services.transaction_approve(
            transaction=t, user=request.user, note=data.get("note", "")
        ),
        success=_("Approved. The evidence is frozen with the approval."),
        form_name="approve_form",
    )


def _reason_action(service, success, form_name):
    @require_POST
    @organisation_required(roles=roles.PROGRAMME_EDITORS)
    def view(request, pk):
        return form_action(
            request,
            pk,
            ReasonForm(request.POST),
            lambda t, data: service(transaction=t, user=request.user, reason=data["reason"]),
            success=str(success),
            form_name=form_name,
        )

    return view


reject = _reason_action(services.transaction_reject, gettext_lazy("Rejected."), "reject_form")


hold = _reason_action(services.transaction_hold, gettext_lazy("Put on hold."), "hold_form")


release = _reason_action(
    services.transaction_release, gettext_lazy("Released from hold."), "release_form"
)


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def mark_shipped(request, pk):
    return form_action(
        request,
        pk,
        ShippedForm(request.POST),
        lambda t, data: services.transaction_mark_shipped(
            transaction=t, user=request.user, shipped_on=data["shipped_on"]
        ),
        success=_("Shipment recorded."),
        form_name="shipped_form",
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def duty_complete(request, pk, duty_pk):
    """Record a post-shipment report (REGS Art. 18(1)) as made, with its evidence."""
    duty = post_shipment_duty_get(organisation=request.organisation, transaction_pk=pk, pk=duty_pk)
    return form_action(
        request,
        pk,
        DutyForm(request.POST),
        lambda t, data: post_shipment_duty_complete(
            duty=duty, user=request.user, evidence_note=data["evidence_note"]
        ),
        success=_("Report recorded."),
        form_name="duty_form",
        duty_pk=duty.pk,
    )
