from django.urls import path

from .views import overview

app_name = "icp"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("elements/<str:code>/", overview.element_detail, name="element_detail"),
]
