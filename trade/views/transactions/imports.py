"""Transactions imported from a file, previewed first."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts import roles
from accounts.permissions import organisation_required
from core.import_views import register_import
from core.imports import template_response
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
    return register_import(
        request,
        kind=TRANSACTION_IMPORT_KIND,
        form_class=ImportForm,
        template="trade/transaction/import.html",
        preview_service=transactions_preview,
        import_service=transactions_import,
        imported=lambda outcome: _transactions_imported(request, outcome),
        changed_message=_(
            "The registers changed since the preview, so nothing was imported: upload "
            "the file again to see what it would create now."
        ),
    )


def _transactions_imported(request, outcome):
    """The imported file's outcome, and on to the register."""
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
