from django.urls import path

from .views import audits, checklist, findings, plan
from .views import checklist_templates as templates

app_name = "audits"

urlpatterns = [
    path("", audits.AuditListView.as_view(), name="audit_list"),
    path("new/", audits.audit_create, name="audit_create"),
    path("<int:pk>/", audits.audit_detail, name="audit_detail"),
    path("<int:pk>/edit/", audits.audit_edit, name="audit_edit"),
    path("<int:pk>/generate/", audits.audit_generate, name="audit_generate"),
    path("<int:pk>/regenerate/", audits.audit_regenerate, name="audit_regenerate"),
    path("<int:pk>/sign-off/", audits.audit_sign_off, name="audit_sign_off"),
    path("<int:pk>/addenda/", audits.addendum_create, name="addendum_create"),
    path("<int:pk>/report/", audits.report_generate, name="report_generate"),
    path("<int:pk>/checklist/", checklist.checklist, name="checklist"),
    path("<int:pk>/items/<int:item_pk>/", checklist.item_detail, name="item_detail"),
    path("<int:pk>/items/<int:item_pk>/autosave/", checklist.item_autosave, name="item_autosave"),
    path("<int:pk>/items/<int:item_pk>/link/", checklist.item_link, name="item_link"),
    path("<int:pk>/items/<int:item_pk>/attach/", checklist.item_attach, name="item_attach"),
    path("<int:pk>/items/<int:item_pk>/take/", checklist.item_take, name="item_take"),
    path("<int:pk>/findings/new/", findings.finding_create, name="finding_create"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/actions/new/", findings.action_create, name="action_create"),
    path("actions/", findings.ActionListView.as_view(), name="action_list"),
    path("actions/<int:pk>/", findings.action_detail, name="action_detail"),
    path("actions/<int:pk>/update/", findings.action_update, name="action_update"),
    path("actions/<int:pk>/verify/", findings.action_verify, name="action_verify"),
    path("reports/<int:pk>/download/", audits.report_download, name="report_download"),
    path("templates/", templates.template_list, name="template_list"),
    path("templates/copy/", templates.template_copy, name="template_copy"),
    path("templates/<int:pk>/", templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/questions/new/", templates.question_add, name="question_add"),
    path("templates/questions/<int:pk>/", templates.question_edit, name="question_edit"),
    path("plan/", plan.plan, name="plan"),
    path("plan/entries/new/", plan.plan_entry_create, name="plan_entry_create"),
    path("plan/entries/<int:pk>/start/", plan.plan_entry_start, name="plan_entry_start"),
]
