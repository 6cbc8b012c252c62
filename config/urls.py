from django.contrib import admin
from django.urls import include, path

from core.views import healthz

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
    path("parties/", include("trade.urls")),
    path("trade/", include("trade.urls_transactions")),
    path("api/v1/", include("screening.api.urls")),
    path("", include("chambers.urls")),
    path("", include("providers.urls")),
    path("", include("onboarding.urls")),
    path("", include("notices.urls")),
    path("", include("icp.urls")),
]
