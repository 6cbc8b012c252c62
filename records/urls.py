from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.overview, name="overview"),
    # documents
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/upload/<str:label>/<str:pk>/", views.document_upload, name="document_upload"),
    # retention
    path("retention/", views.RetainedRecordListView.as_view(), name="retained_list"),
    path("retention/<int:pk>/", views.retained_detail, name="retained_detail"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_edit, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    # legal holds
    path("holds/", views.hold_list, name="hold_list"),
    path("holds/new/", views.hold_create, name="hold_create"),
    path("holds/<int:pk>/", views.hold_detail, name="hold_detail"),
    path("holds/<int:pk>/add/", views.hold_add, name="hold_add"),
    path("holds/<int:pk>/items/<int:item_pk>/remove/", views.hold_remove, name="hold_remove"),
    path("holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    # disposal
    path("disposal/schedule/", views.disposal_schedule, name="disposal_schedule"),
    path("disposal/propose/", views.disposal_propose, name="disposal_propose"),
    path("disposal/", views.disposal_list, name="disposal_list"),
    path("disposal/<int:pk>/", views.disposal_detail, name="disposal_detail"),
    path("disposal/<int:pk>/approve/", views.disposal_approve, name="disposal_approve"),
    path("disposal/<int:pk>/reject/", views.disposal_reject, name="disposal_reject"),
    # event log
    path("event-log/", views.EventLogView.as_view(), name="event_log"),
    path("event-log/verify/", views.event_log_verify_view, name="event_log_verify"),
    # inspection bundles
    path("bundles/new/", views.bundle_create, name="bundle_create"),
    path("bundles/<uuid:job_id>/download/", views.bundle_download, name="bundle_download"),
    # notification centre
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/bell/", views.notification_bell, name="notification_bell"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/settings/", views.preferences, name="preferences"),
]
