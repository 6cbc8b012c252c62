"""The transaction page with its checklist, and its printable review record."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import organisation_required
from core.pdf import render_pdf
from records.services import documents_for
from reference.models import RedFlag
from trade.forms_transactions import (
    ANSWER_CHOICES,
    ApproveForm,
    DocumentForm,
    DutyForm,
    EucForm,
    LicenceDecisionForm,
    LineForm,
    PartyLinkForm,
    ReasonForm,
    ResolveForm,
    ShippedForm,
)
from trade.models import Answer
from trade.selectors_transactions import (
    after_approval,
    approval_amendments,
    approval_current,
    approval_frozen_record,
    approval_latest,
    transaction_get,
)
from trade.services import transaction as services
from trade.services.licence_path import path_rows
from trade.services.review import review_checklist, review_context


def _answer_rows(ctx, editable: bool, typed=None):
    """The red-flag rows; `typed` (a refused questionnaire) puts back the answers and notes as
    they were sent."""
    rows = []
    for flag in ctx.red_flags:
        answer = ctx.answers.get(flag.pk)
        rows.append(
            {
                "flag": flag,
                "answer": answer,
                "blocking_open": flag.severity == RedFlag.Severity.BLOCKING
                and answer is not None
                and answer.is_raised
                and not answer.is_resolved,
                "locked": answer is not None and answer.prefilled and answer.answer == Answer.YES,
                "value": answer.answer if answer is not None else "",
                "note": answer.note if answer is not None else "",
            }
        )
    # Raised flags first, then unanswered, then the rest; within each, the questionnaire's order:
    if typed is not None:
        for row in rows:
            key = row["flag"].pk
            row["value"] = typed.data.get(f"answer-{key}", row["value"])
            row["note"] = typed.data.get(f"note-{key}", row["note"])
    # PRC statutory triggers first, then the other indicators grouped by theme.
    rows.sort(
        key=lambda r: (
            0
            if r["answer"] and r["answer"].is_raised
            else (1 if not (r["answer"] and r["answer"].answer) else 2),
            r["flag"].order,
            r["flag"].ref_id,
        )
    )
    return rows


@organisation_required(roles=roles.ALL_MEMBERS)
def transaction_detail(request, pk):
    return render_detail(request, transaction_get(organisation=request.organisation, pk=pk))


def render_detail(request, transaction, **bound):
    """The transaction page; `bound` forms (as the user sent them, with their errors) take the
    place of the empty ones, so a refused action shows again with what was typed."""
    role = request.membership.role
    ctx = review_context(transaction)
    checks = review_checklist(ctx)
    can_draft = role in roles.TRANSACTION_DRAFTERS and transaction.is_editable
    can_decide = role in roles.PROGRAMME_EDITORS
    approvers = (
        services.transaction_approvers(transaction=transaction, ctx=ctx)
        if role in roles.PROGRAMME_READERS
        else []
    )
    me = next((a for a in approvers if a.user.pk == request.user.pk), None)
    approval = approval_current(transaction=transaction)
    organisation = request.organisation
    context = {
        "transaction": transaction,
        "object": transaction,
        "ctx": ctx,
        "checks": checks,
        "all_passed": all(c.passed for c in checks),
        "flag_rows": _answer_rows(ctx, can_draft, typed=bound.get("flag_form")),
        "answer_choices": ANSWER_CHOICES,
        "approvers": approvers,
        "able_approvers": [a for a in approvers if a.may_approve],
        "unable_approvers": [a for a in approvers if not a.may_approve],
        "can_invite": role in roles.PROGRAMME_EDITORS,
        "approval_amendments": approval_amendments(approval),
        "may_approve": me is not None and me.may_approve,
        "my_approver_check": me,
        "approval": approval,
        "events": transaction.events.select_related("actor").order_by("-created_at", "-pk")[:50],
        "documents": documents_for(transaction),
        "can_draft": can_draft,
        "can_decide": can_decide,
        "can_read_programme": role in roles.PROGRAMME_READERS,
        "drawdowns": transaction.drawdowns.select_related("licence").order_by("-drawn_at"),
        "duties": transaction.post_shipment_duties.select_related("licence", "done_by").order_by(
            "due_on", "pk"
        ),
        "duty_form": DutyForm() if can_decide else None,
    }
    if can_draft:
        context.update(
            line_form=LineForm(organisation=organisation),
            party_form=PartyLinkForm(organisation=organisation),
            euc_form=EucForm(
                initial={
                    "euc_issuer": transaction.euc_issuer,
                    "euc_number": transaction.euc_number,
                    "euc_issued_on": transaction.euc_issued_on,
                    "euc_valid_until": transaction.euc_valid_until,
                }
            ),
            document_form=DocumentForm(),
        )
    if can_decide:
        context.update(
            licence_form=LicenceDecisionForm(
                organisation=organisation,
                initial={
                    "decision": transaction.licence_decision or None,
                    "licence": transaction.licence_id,
                    "note": transaction.licence_note,
                },
            ),
            hold_form=ReasonForm(),
            reject_form=ReasonForm(),
            release_form=ReasonForm(),
            approve_form=ApproveForm(),
            resolve_form=ResolveForm(),
            shipped_form=ShippedForm(initial={"shipped_on": timezone.localdate()}),
        )
    context.update(bound)
    context["bound_errors"] = [
        error
        for form in bound.values()
        if hasattr(form, "non_field_errors")
        for error in form.non_field_errors()
    ]
    return render(request, "trade/transaction/detail.html", context)


@organisation_required(roles=roles.PROGRAMME_READERS)
def review_record_pdf(request, pk):
    """The printable review record: the checklist, the evidence, the decision trail."""
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    ctx = review_context(transaction)
    language = translation.get_language() or "zh-hans"
    approval = approval_latest(transaction=transaction)
    checks = review_checklist(ctx)
    # An approval in force: the record shows the evidence frozen with it, and what came later
    # separately. Without one (in review, reopened), the review as it stands.
    current = approval if approval is not None and approval.superseded_at is None else None
    pdf = render_pdf(
        "pdf/transaction_review.html",
        {
            "frozen": approval_frozen_record(
                approval=current, checks=checks, red_flags=ctx.red_flags
            )
            if current
            else None,
            "after": after_approval(transaction=transaction, approval=current) if current else None,
            "title": _("Transaction review record %(ref)s") % {"ref": transaction.reference},
            "organisation": request.organisation,
            "transaction": transaction,
            "ctx": ctx,
            "checks": checks,
            "flag_rows": _answer_rows(ctx, False),
            "path_rows": path_rows(ctx),
            "approval": approval,
            "events": transaction.events.select_related("actor").order_by("created_at", "pk"),
            "documents": documents_for(transaction),
            "printed_at": timezone.now(),
            "printed_by": request.user,
        },
        language=language,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="review-{transaction.pk}.pdf"'
    return response
