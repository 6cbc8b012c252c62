from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("providers/", views.check_list, name="check_list"),
    path("providers/profile/", views.provider_profile, name="profile"),
    path("providers/checks/new/", views.check_create, name="check_create"),
    path("providers/checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("providers/checks/<int:pk>/decide/", views.check_decide, name="check_decide"),
    path("providers/checks/<int:pk>/report/", views.check_report, name="check_report"),
]
