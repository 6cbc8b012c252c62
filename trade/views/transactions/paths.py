"""The licensing decision path of a line."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from trade.forms_transactions import PATH_ANSWER_LABELS, LicencePathForm
from trade.licensing_reference import current_licensing_reference
from trade.models import TransactionItem
from trade.selectors_transactions import transaction_line_get
from trade.services.licence_path import control_list_matches, ctx_fingerprint, finding_text, path_of
from trade.services.licence_path import licence_path_confirm as licence_path_confirm_service
from trade.services.licence_path import licence_path_walk as licence_path_walk_service
from trade.services.review import review_context

from .actions import run_action


def _path_line(request, pk, line_pk) -> TransactionItem:
    return transaction_line_get(
        organisation=request.organisation,
        transaction_pk=pk,
        pk=line_pk,
        related=("item__current_classification",),
    )


def _render_path(request, line, form=None, status=200):
    transaction = line.transaction
    reference = current_licensing_reference()
    ctx = review_context(transaction)
    line = next((candidate for candidate in ctx.lines if candidate.pk == line.pk), line)
    path = path_of(line)
    role = request.membership.role
    can_walk = role in roles.TRANSACTION_DRAFTERS and transaction.is_editable
    if form is None and can_walk:
        initial = dict(path.answers) if path else {}
        if path:
            initial["voucher_case"] = path.voucher_case
        form = LicencePathForm(
            reference=reference,
            destination=transaction.destination_country.code,
            initial=initial,
        )
    context = {
        "transaction": transaction,
        "line": line,
        "path": path,
        "stale": path is not None and path.fingerprint != ctx_fingerprint(ctx, line),
        "findings": [finding_text(f) for f in path.findings] if path else [],
        "answer_rows": _path_answer_rows(reference, path) if path else [],
        "voucher_case": reference.voucher_case(path.voucher_case) if path else None,
        "control_list_matches": control_list_matches(ctx),
        "form": form,
        "can_walk": can_walk,
        "can_confirm": role in roles.PROGRAMME_EDITORS and transaction.is_editable,
        "reference": reference,
    }
    return render(request, "trade/transaction/licence_path.html", context, status=status)


def _path_answer_rows(reference, path) -> list:
    return [
        {
            "question": reference.question(code).text if reference.question(code) else code,
            "answer": PATH_ANSWER_LABELS.get(value, value),
        }
        for code, value in path.answers.items()
    ]


@organisation_required(roles=roles.ALL_MEMBERS)
def licence_path(request, pk, line_pk):
    """The licensing decision path of one line: the questions, or the outcome walked."""
    return _render_path(request, _path_line(request, pk, line_pk))


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def licence_path_walk(request, pk, line_pk):
    line = _path_line(request, pk, line_pk)
    form = LicencePathForm(
        request.POST,
        reference=current_licensing_reference(),
        destination=line.transaction.destination_country.code,
    )
    if not form.is_valid():
        return _render_path(request, line, form)
    try:
        with db_transaction.atomic():
            path = licence_path_walk_service(
                line=line,
                user=request.user,
                answers=form.answers(),
                voucher_case=form.cleaned_data.get("voucher_case", ""),
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_path(request, line, form)
    messages.success(
        request,
        _("Path recorded: %(outcome)s.") % {"outcome": path.get_outcome_display()},
    )
    return redirect(path.get_absolute_url())


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def licence_path_confirm(request, pk, line_pk):
    line = _path_line(request, pk, line_pk)
    path = path_of(line)
    if path is None:
        messages.error(request, _("Walk the path first."))
        return redirect("transactions:licence_path", pk, line_pk)
    return run_action(
        request,
        line.transaction,
        lambda t: licence_path_confirm_service(path=path, user=request.user),
        _("Path confirmed."),
    )
