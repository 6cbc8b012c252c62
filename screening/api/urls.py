from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from accounts.api_auth import ApiTokenAuthentication
from accounts.permissions import organisation_required
from trade.api.transactions import TransactionCreateView, TransactionDecisionView

from .views import ScreenView

app_name = "api"


class SchemaView(SpectacularAPIView):
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


urlpatterns = [
    path("screen", ScreenView.as_view(), name="screen"),
    path("transactions", TransactionCreateView.as_view(), name="transaction_create"),
    path(
        "transactions/<path:reference>",
        TransactionDecisionView.as_view(),
        name="transaction_decision",
    ),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The docs page and its init script come from our own static files (sidecar), so the
    # page works with script-src 'self' and without reaching a CDN.
    path(
        "docs/",
        organisation_required()(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema",
                authentication_classes=[SessionAuthentication],
                permission_classes=[IsAuthenticated],
            )
        ),
        name="docs",
    ),
]
