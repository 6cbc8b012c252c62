from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/upload/<str:label>/<str:pk>/", views.document_upload, name="document_upload"),
]
