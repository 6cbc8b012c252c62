from django.urls import path

from . import views

app_name = "icp"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("elements/<str:code>/", views.element_detail, name="element_detail"),
]
