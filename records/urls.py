from django.urls import path

from .views import bundles, disposal, documents, event_log, holds, notifications, retention

app_name = "records"

urlpatterns = [
    path("", retention.overview, name="overview"),
    # documents
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path(
        "documents/upload/<str:label>/<str:pk>/", documents.document_upload, name="document_upload"
    ),
    # retention
    path("retention/", retention.RetainedRecordListView.as_view(), name="retained_list"),
    path("retention/<int:pk>/", retention.retained_detail, name="retained_detail"),
    path("rules/", retention.rule_list, name="rule_list"),
    path("rules/new/", retention.rule_edit, name="rule_create"),
    path("rules/<int:pk>/", retention.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", retention.rule_delete, name="rule_delete"),
    # legal holds
    path("holds/", holds.hold_list, name="hold_list"),
    path("holds/new/", holds.hold_create, name="hold_create"),
    path("holds/<int:pk>/", holds.hold_detail, name="hold_detail"),
    path("holds/<int:pk>/add/", holds.hold_add, name="hold_add"),
    path("holds/<int:pk>/items/<int:item_pk>/remove/", holds.hold_remove, name="hold_remove"),
    path("holds/<int:pk>/release/", holds.hold_release, name="hold_release"),
    # disposal
    path("disposal/schedule/", disposal.disposal_schedule, name="disposal_schedule"),
    path("disposal/propose/", disposal.disposal_propose, name="disposal_propose"),
    path("disposal/", disposal.disposal_list, name="disposal_list"),
    path("disposal/<int:pk>/", disposal.disposal_detail, name="disposal_detail"),
    path("disposal/<int:pk>/approve/", disposal.disposal_approve, name="disposal_approve"),
    path("disposal/<int:pk>/reject/", disposal.disposal_reject, name="disposal_reject"),
    # event log
    path("event-log/", event_log.EventLogView.as_view(), name="event_log"),
    path("event-log/verify/", event_log.event_log_verify_view, name="event_log_verify"),
    # inspection bundles
    path("bundles/new/", bundles.bundle_create, name="bundle_create"),
    path("bundles/<uuid:job_id>/download/", bundles.bundle_download, name="bundle_download"),
    # notification centre
    path("notifications/", notifications.NotificationListView.as_view(), name="notification_list"),
    path("notifications/bell/", notifications.notification_bell, name="notification_bell"),
    path(
        "notifications/read-all/", notifications.notification_read_all, name="notification_read_all"
    ),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/settings/", notifications.preferences, name="preferences"),
]
