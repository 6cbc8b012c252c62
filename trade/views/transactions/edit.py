"""Create and edit a transaction: its header, lines, parties, end-user certificate, documents
and licence decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from records.services import document_attach
from trade.forms_transactions import (
    DocumentForm,
    EucForm,
    LicenceDecisionForm,
    LineForm,
    LineUpdateForm,
    PartyLinkForm,
    TransactionForm,
)
from trade.models import TransactionItem
from trade.selectors_transactions import (
    transaction_get,
    transaction_line_get,
    transaction_party_get,
)
from trade.services import transaction as services
from trade.services.review import transaction_refresh

from .actions import form_action, form_or_error, post_action, run_action


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def transaction_create(request):
    form = TransactionForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            transaction = services.transaction_create(
                organisation=request.organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Transaction %(ref)s created. Add its items and parties.") % {"ref": transaction},
            )
            return redirect(transaction)
    return render(request, "trade/transaction/form.html", {"form": form})


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def transaction_edit(request, pk):
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    form = TransactionForm(
        request.POST or None, instance=transaction, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in TransactionForm.Meta.fields}
        # The bound form already wrote the values onto the instance; compare with the stored row.
        transaction = transaction_get(organisation=request.organisation, pk=pk)
        try:
            services.transaction_update(transaction=transaction, user=request.user, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Transaction saved."))
            return redirect(transaction)
    return render(
        request, "trade/transaction/form.html", {"form": form, "transaction": transaction}
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def line_add(request, pk):
    return form_action(
        request,
        pk,
        LineForm(request.POST, organisation=request.organisation),
        lambda t, data: services.transaction_line_add(transaction=t, user=request.user, **data),
        success=_("Item added."),
        form_name="line_form",
    )


def _line(request, pk, line_pk) -> TransactionItem:
    return transaction_line_get(organisation=request.organisation, transaction_pk=pk, pk=line_pk)


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def line_update(request, pk, line_pk):
    """A line's quantity and value, changed in its row; refused, the row shows what was typed
    with the error (`line_update_pk` names the row)."""
    line = _line(request, pk, line_pk)
    form = LineUpdateForm(request.POST)
    if form.is_valid() and all(
        getattr(line, name) == value for name, value in form.cleaned_data.items()
    ):
        messages.info(request, _("Nothing changed."))  # no event, no new review
        return redirect(line.transaction)
    return form_action(
        request,
        pk,
        form,
        lambda t, data: services.transaction_line_update(line=line, user=request.user, **data),
        success=_("Item changed."),
        form_name="line_update_form",
        line_update_pk=line.pk,
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def line_remove(request, pk, line_pk):
    line = _line(request, pk, line_pk)
    return post_action(
        request,
        pk,
        lambda t: services.transaction_line_remove(line=line, user=request.user),
        success=_("Item removed."),
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def party_add(request, pk):
    return form_action(
        request,
        pk,
        PartyLinkForm(request.POST, organisation=request.organisation),
        lambda t, data: services.transaction_party_add(transaction=t, user=request.user, **data),
        success=_("Party added."),
        form_name="party_form",
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def party_remove(request, pk, link_pk):
    link = transaction_party_get(organisation=request.organisation, transaction_pk=pk, pk=link_pk)
    return post_action(
        request,
        pk,
        lambda t: services.transaction_party_remove(link=link, user=request.user),
        success=_("Party removed."),
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def euc_record(request, pk):
    return form_action(
        request,
        pk,
        EucForm(request.POST),
        lambda t, data: services.transaction_euc_record(transaction=t, user=request.user, **data),
        success=_("End-user certificate recorded."),
        form_name="euc_form",
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def document_upload(request, pk):
    form = DocumentForm(request.POST, request.FILES)
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    if not transaction.is_editable:
        messages.error(request, _("A rejected transaction cannot be changed."))
        return redirect(transaction)
    if not form_or_error(request, form):
        return redirect(transaction)

    def attach(t):
        document_attach(
            organisation=request.organisation,
            user=request.user,
            target=t,
            upload=form.cleaned_data["file"],
            document_type=form.cleaned_data["document_type"],
        )
        transaction_refresh(transaction=t)

    return run_action(request, transaction, attach, _("Document attached."))


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def licence_decide(request, pk):
    return form_action(
        request,
        pk,
        LicenceDecisionForm(request.POST, organisation=request.organisation),
        lambda t, data: services.transaction_licence_decide(
            transaction=t, user=request.user, **data
        ),
        success=_("Licence decision recorded."),
        form_name="licence_form",
    )
