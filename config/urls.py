from django.contrib import admin
from django.urls import include, path

from core.views import healthz
from screening.api.urls import urlpatterns as screening_api
from trade.api.urls import urlpatterns as trade_api

handler400 = "core.middleware.bad_request"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("core.urls")),
    path("records/", include("records.urls")),
    path("audits/", include("audits.urls")),
    path("screening/", include("screening.urls")),
    path("parties/", include("screening.urls_parties")),
    path("trade/", include("trade.urls_transactions")),
    # One API namespace ("api"); each app serves its own routes (screening, then trade).
    path("api/v1/", include(([*screening_api, *trade_api], "api"))),
    path("", include("chambers.urls")),
    path("", include("providers.urls")),
    path("", include("outreach.urls")),
    path("", include("onboarding.urls")),
    path("", include("notices.urls")),
    path("", include("icp.urls")),
]
