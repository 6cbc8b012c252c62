from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit_list"),
    path("new/", views.audit_create, name="audit_create"),
    path("<int:pk>/", views.audit_detail, name="audit_detail"),
    path("<int:pk>/edit/", views.audit_edit, name="audit_edit"),
    path("<int:pk>/generate/", views.audit_generate, name="audit_generate"),
    path("<int:pk>/regenerate/", views.audit_regenerate, name="audit_regenerate"),
    path("<int:pk>/sign-off/", views.audit_sign_off, name="audit_sign_off"),
    path("<int:pk>/addenda/", views.addendum_create, name="addendum_create"),
    path("<int:pk>/report/", views.report_generate, name="report_generate"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/items/<int:item_pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/items/<int:item_pk>/autosave/", views.item_autosave, name="item_autosave"),
    path("<int:pk>/items/<int:item_pk>/link/", views.item_link, name="item_link"),
    path("<int:pk>/items/<int:item_pk>/attach/", views.item_attach, name="item_attach"),
    path("<int:pk>/items/<int:item_pk>/take/", views.item_take, name="item_take"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("actions/<int:pk>/verify/", views.action_verify, name="action_verify"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/copy/", views.template_copy, name="template_copy"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("templates/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("plan/", views.plan, name="plan"),
    path("plan/entries/new/", views.plan_entry_create, name="plan_entry_create"),
    path("plan/entries/<int:pk>/start/", views.plan_entry_start, name="plan_entry_start"),
]
