from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("notices/", views.settings_view, name="settings"),
    path("notices/<int:pk>/", views.channel_edit, name="channel_edit"),
    path("notices/<int:pk>/test/", views.channel_test, name="channel_test"),
]
