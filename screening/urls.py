from django.urls import path

from .views import lists, screening, tokens

app_name = "screening"

urlpatterns = [
    path("", screening.screen, name="screen"),
    path("queue/", screening.queue, name="queue"),
    path("history/", screening.ScreeningHistoryView.as_view(), name="screening_list"),
    path("history/<int:pk>/", screening.screening_detail, name="screening_detail"),
    path("hits/<int:pk>/decide/", screening.hit_adjudicate_view, name="hit_adjudicate"),
    path("settings/", screening.settings_view, name="settings"),
    path("lists/", lists.list_index, name="list_index"),
    path("lists/new/", lists.list_create_view, name="list_create"),
    path("lists/<int:pk>/", lists.list_detail, name="list_detail"),
    path("lists/<int:pk>/severity/", lists.list_severity, name="list_severity"),
    path("lists/<int:pk>/import/", lists.list_import_view, name="list_import"),
    path("lists/<int:pk>/entities/new/", lists.entity_edit, name="entity_create"),
    path("lists/<int:pk>/announcement/", lists.announcement_add, name="announcement_add"),
    path("lists/<int:pk>/entities/<int:entity_pk>/edit/", lists.entity_edit, name="entity_edit"),
    path("versions/<int:pk>/", lists.version_detail, name="version_detail"),
    path("entities/<int:pk>/", lists.entity_detail, name="entity_detail"),
    path("api-tokens/", tokens.token_list, name="token_list"),
    path("api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
