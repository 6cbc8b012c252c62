from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from accounts.api_auth import ApiTokenAuthentication
from accounts.permissions import organisation_required

from .views import ScreenView

# Included by config/urls.py in the `api` namespace, together with the transaction routes that
# trade serves (trade/api/urls.py).


class SchemaView(SpectacularAPIView):
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


urlpatterns = [
    path("screen", ScreenView.as_view(), name="screen"),
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
