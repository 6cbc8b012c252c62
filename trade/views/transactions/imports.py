"""Transactions imported from a file, previewed first."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import organisation_required
from core.imports import import_stash, import_stash_discard, import_stash_get, template_response
from trade.forms_transactions import ImportForm
from trade.services.transaction_import import transactions_import, transactions_preview

# The stash of a previewed transaction import (core.imports).
TRANSACTION_IMPORT_KIND = "trade.import_transactions"


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def transaction_import_view(request):
    if request.GET.get("template"):
        return template_response(
            stem="orders",
            columns=[
                "reference",
                "destination_country",
                "end_use",
                "item_name",
                "item_model",
                "quantity",
                "unit",
                "value",
                "currency",
                "buyer_name",
                "buyer_country",
            ],
            example=[
                "SO-0001",
                "DE",
                "机床改造 / machine retrofit",
                "伺服电机",
                "SM-80",
                "2",
                "pcs",
                "1000",
                "EUR",
                "Berlin Maschinenbau GmbH",
                "DE",
            ],
            file_format=request.GET["template"],
        )
    if request.method == "POST" and "token" in request.POST:
        return _transaction_import_confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            preview = transactions_preview(
                organisation=request.organisation, content=content, filename=upload.name
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            context["preview"] = preview
            if preview.is_valid:
                context["token"] = import_stash(
                    organisation=request.organisation,
                    user=request.user,
                    kind=TRANSACTION_IMPORT_KIND,
                    content=content,
                    filename=upload.name,
                    summary=preview.summary(),
                )
    return render(request, "trade/transaction/import.html", context)


def _transaction_import_confirm(request):
    """Import the previewed file, if it would still create what its preview said."""
    try:
        stashed = import_stash_get(
            token=request.POST["token"],
            organisation=request.organisation,
            user=request.user,
            kind=TRANSACTION_IMPORT_KIND,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("transactions:transaction_import")
    try:
        try:
            again = transactions_preview(
                organisation=request.organisation,
                content=stashed.content,
                filename=stashed.filename,
            ).summary()
        except ValidationError:
            again = None
        if again != stashed.summary:
            messages.error(
                request,
                _(
                    "The registers changed since the preview, so nothing was imported: upload "
                    "the file again to see what it would create now."
                ),
            )
            return redirect("transactions:transaction_import")
        try:
            outcome = transactions_import(
                organisation=request.organisation,
                user=request.user,
                content=stashed.content,
                filename=stashed.filename,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("transactions:transaction_import")
    finally:
        import_stash_discard(stashed=stashed)
    messages.success(
        request,
        _(
            "%(count)d transactions imported as drafts "
            "(%(parties)d new parties, %(items)d new items)."
        )
        % {
            "count": len(outcome.transactions),
            "parties": outcome.parties_created,
            "items": outcome.items_created,
        },
    )
    return redirect("transactions:queue")
