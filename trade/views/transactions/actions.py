"""How an action on the transaction page runs: in a database transaction, a service's refusal
shown as a message or, for a form, on the page again with what was typed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction as db_transaction
from django.shortcuts import redirect

from core.forms import add_service_errors
from core.i18n import labelled
from trade.selectors_transactions import transaction_get

from .detail import render_detail


def _error_message(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def post_action(request, pk, action, *, success: str):
    """Run `action(transaction)` for a POST, turning ValidationError into a message."""
    return run_action(
        request, transaction_get(organisation=request.organisation, pk=pk), action, success
    )


def form_action(request, pk, form, action, *, success: str, form_name: str, **bound):
    """Validate `form`, then run `action(transaction, cleaned_data)` in a database transaction;
    the transaction is fetched once. On a form error or a service's refusal nothing is changed
    and the page is shown again with the form as typed and its errors (under `form_name`)."""
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    if form.is_valid():
        try:
            with db_transaction.atomic():
                action(transaction, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if success:
                messages.success(request, success)
            return redirect(transaction)
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    return render_detail(request, transaction, **{form_name: form}, **bound)


def run_action(request, transaction, action, success: str):
    try:
        with db_transaction.atomic():
            action(transaction)
    except ValidationError as exc:
        _error_message(request, exc)
    except PermissionDenied:
        raise
    else:
        if success:
            messages.success(request, success)
    return redirect(transaction)


def form_or_error(request, form) -> bool:
    if form.is_valid():
        return True
    messages.error(
        request,
        " ".join(
            labelled(form.fields[f].label, " ".join(e)) if f in form.fields else " ".join(e)
            for f, e in form.errors.items()
        ),
    )
    return False
