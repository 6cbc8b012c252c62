from django.urls import path

from . import views

app_name = "trade"

urlpatterns = [
    path("", views.PartyListView.as_view(), name="party_list"),
    path("new/", views.party_create_view, name="party_create"),
    path("import/", views.party_import_view, name="party_import"),
    path("rescreen/", views.party_rescreen_all, name="party_rescreen_all"),
    path("<int:pk>/", views.party_detail, name="party_detail"),
    path("<int:pk>/edit/", views.party_edit, name="party_edit"),
    path("<int:pk>/screen/", views.party_screen_now, name="party_screen"),
]
