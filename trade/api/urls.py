"""The transaction API routes (POST /api/v1/transactions, the decision read-back). The project
URLconf puts them in the one `api` namespace with the screening API (config/urls.py)."""

from django.urls import path

from .transactions import TransactionCreateView, TransactionDecisionView

urlpatterns = [
    path("transactions", TransactionCreateView.as_view(), name="transaction_create"),
    path(
        "transactions/<path:reference>",
        TransactionDecisionView.as_view(),
        name="transaction_decision",
    ),
]
