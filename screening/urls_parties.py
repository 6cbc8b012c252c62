from django.urls import path

from .views import parties as views

app_name = "parties"

urlpatterns = [
    path("", views.PartyListView.as_view(), name="list"),
    path("new/", views.party_create_view, name="create"),
    path("import/", views.party_import_view, name="import"),
    path("rescreen/", views.party_rescreen_all, name="rescreen_all"),
    path("<int:pk>/", views.party_detail, name="detail"),
    path("<int:pk>/edit/", views.party_edit, name="edit"),
    path("<int:pk>/screen/", views.party_screen_now, name="screen"),
]
