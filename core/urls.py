from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:job_id>/status.json", views.job_status, name="job_status"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry_view, name="job_retry"),
    path("comments/<str:label>/<str:pk>/", views.comment_add_view, name="comment_add"),
]
