from django.urls import path

from .views import emergency, overview
from .views import licence_pack as licence_pack_views
from .views import licence_readiness as licence_readiness_views
from .views import manual as manual_views
from .views import organisation as organisation_views
from .views import policy as policy_views
from .views import risk as risk_views
from .views import risk_destinations as destination_views
from .views import training as training_views
from .views import training_library as library_views

app_name = "icp"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("elements/<str:code>/", overview.element_detail, name="element_detail"),
    path("readiness/", licence_readiness_views.readiness, name="readiness"),
    path(
        "readiness/disqualifiers/",
        licence_readiness_views.readiness_disqualifiers,
        name="readiness_disqualifiers",
    ),
    # E5 emergency measures
    path("incidents/", emergency.IncidentListView.as_view(), name="incident_list"),
    path("incidents/report/", emergency.incident_report, name="incident_report"),
    path("incidents/follow/", emergency.incident_follow, name="incident_follow"),
    path("incidents/<int:pk>/", emergency.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/triage/", emergency.incident_triage, name="incident_triage"),
    path("incidents/<int:pk>/note/", emergency.incident_note, name="incident_note"),
    path("incidents/<int:pk>/mofcom/", emergency.incident_mofcom_report, name="incident_mofcom"),
    path("incidents/<int:pk>/actions/", emergency.incident_action_add, name="incident_action_add"),
    path(
        "incidents/<int:pk>/actions/<int:action_pk>/done/",
        emergency.incident_action_done,
        name="incident_action_done",
    ),
    path("incidents/<int:pk>/close/", emergency.incident_close, name="incident_close"),
    path(
        "incidents/<int:pk>/transactions/",
        emergency.incident_link_transaction,
        name="incident_link_transaction",
    ),
    path(
        "incidents/<int:pk>/stop-shipment/",
        emergency.incident_stop_shipment,
        name="incident_stop_shipment",
    ),
    path("response-plans/", emergency.ResponsePlanListView.as_view(), name="plan_list"),
    path("response-plans/new/", emergency.plan_edit, name="plan_create"),
    path(
        "response-plans/templates/<slug:scenario>/",
        emergency.plan_from_template,
        name="plan_from_template",
    ),
    path("incidents/<int:pk>/letter/", emergency.incident_letter_view, name="incident_letter"),
    path("response-plans/<int:pk>/", emergency.plan_detail, name="plan_detail"),
    path("response-plans/<int:pk>/edit/", emergency.plan_edit, name="plan_edit"),
]

# E9 ICP manual
urlpatterns += [
    path("manual/", manual_views.manual_home, name="manual_home"),
    path("manual/new/", manual_views.manual_request, name="manual_request"),
    path("manual/settings/", manual_views.manual_settings, name="manual_settings"),
    path("manual/<int:pk>/review/", manual_views.manual_review, name="manual_review"),
    path("manual/<int:pk>/approve/", manual_views.manual_approve, name="manual_approve"),
    path("manual/<int:pk>/<str:fmt>/", manual_views.manual_download, name="manual_download"),
    # The general-licence application pack (REGS Art. 16, second paragraph)
    path("licence-pack/", licence_pack_views.licence_pack_home, name="licence_pack_home"),
    path("licence-pack/new/", licence_pack_views.licence_pack_request, name="licence_pack_request"),
    path(
        "licence-pack/<uuid:job_id>/<str:fmt>/",
        licence_pack_views.licence_pack_download,
        name="licence_pack_download",
    ),
]

# E3 risk assessment
urlpatterns += [
    path("risk/", risk_views.RiskAssessmentListView.as_view(), name="risk_assessment_list"),
    path("risk/new/", risk_views.risk_assessment_create, name="risk_assessment_create"),
    path(
        "risk/<int:pk>/",
        risk_views.RiskAssessmentDetailView.as_view(),
        name="risk_assessment_detail",
    ),
    path("risk/<int:pk>/edit/", risk_views.risk_assessment_update, name="risk_assessment_update"),
    path(
        "risk/<int:pk>/approve/", risk_views.risk_assessment_approve, name="risk_assessment_approve"
    ),
    path("risk/<int:pk>/next/", risk_views.risk_assessment_copy, name="risk_assessment_copy"),
    path(
        "risk/<int:pk>/compare/", risk_views.risk_assessment_compare, name="risk_assessment_compare"
    ),
    path("risk/<int:pk>/risks/new/", risk_views.risk_factor_create, name="risk_factor_create"),
    path("risk/risks/<int:pk>/", risk_views.risk_factor_detail, name="risk_factor_detail"),
    path("risk/risks/<int:pk>/edit/", risk_views.risk_factor_update, name="risk_factor_update"),
    path("risk/risks/<int:pk>/delete/", risk_views.risk_factor_delete, name="risk_factor_delete"),
    path(
        "risk/destinations/",
        destination_views.DestinationRiskListView.as_view(),
        name="destination_risk_list",
    ),
    path(
        "risk/destinations/new/",
        destination_views.destination_risk_edit,
        name="destination_risk_create",
    ),
    path(
        "risk/destinations/<int:pk>/",
        destination_views.destination_risk_detail,
        name="destination_risk_detail",
    ),
    path(
        "risk/destinations/<int:pk>/edit/",
        destination_views.destination_risk_edit,
        name="destination_risk_update",
    ),
    path(
        "risk/destinations/<int:pk>/delete/",
        destination_views.destination_risk_delete,
        name="destination_risk_delete",
    ),
]

# E6 education and training
urlpatterns += [
    path("training/", training_views.training_overview, name="training_overview"),
    path("training/mine/", training_views.training_mine, name="training_mine"),
    path("training/matrix/", training_views.training_matrix, name="training_matrix"),
    path("training/overdue/", training_views.training_overdue, name="training_overdue"),
    path("training/functions/", training_views.training_functions, name="training_functions"),
    path("training/courses/", training_views.CourseListView.as_view(), name="course_list"),
    path("training/library/", library_views.course_library, name="course_library"),
    path(
        "training/library/<slug:code>/add/",
        library_views.course_library_adopt,
        name="course_library_adopt",
    ),
    path(
        "training/courses/<int:pk>/material/", library_views.course_material, name="course_material"
    ),
    path("training/courses/<int:pk>/quiz/", library_views.course_quiz, name="course_quiz"),
    path(
        "training/quiz-attempts/<int:pk>/",
        library_views.quiz_attempt_detail,
        name="quiz_attempt_detail",
    ),
    path("training/courses/new/", training_views.course_edit, name="course_create"),
    path("training/courses/<int:pk>/", training_views.course_detail, name="course_detail"),
    path("training/courses/<int:pk>/edit/", training_views.course_edit, name="course_update"),
    path("training/sessions/", training_views.SessionListView.as_view(), name="session_list"),
    path("training/sessions/new/", training_views.session_edit, name="session_create"),
    path("training/sessions/<int:pk>/", training_views.session_detail, name="session_detail"),
    path("training/sessions/<int:pk>/edit/", training_views.session_edit, name="session_update"),
    path(
        "training/sessions/<int:pk>/results/",
        training_views.session_results,
        name="session_results",
    ),
    path(
        "training/attendances/<int:pk>/certificate.pdf",
        training_views.attendance_certificate,
        name="attendance_certificate",
    ),
]

# E1 compliance policy statement
urlpatterns += [
    path("policy/", policy_views.policy_home, name="policy_home"),
    path(
        "policy/versions/", policy_views.PolicyVersionListView.as_view(), name="policy_version_list"
    ),
    path("policy/versions/new/", policy_views.policy_version_create, name="policy_version_create"),
    path(
        "policy/versions/<int:pk>/",
        policy_views.policy_version_detail,
        name="policy_version_detail",
    ),
    path(
        "policy/versions/<int:pk>/edit/",
        policy_views.policy_version_edit,
        name="policy_version_edit",
    ),
    path(
        "policy/versions/<int:pk>/submit/",
        policy_views.policy_version_submit,
        name="policy_version_submit",
    ),
    path(
        "policy/versions/<int:pk>/approve/",
        policy_views.policy_version_approve,
        name="policy_version_approve",
    ),
    path(
        "policy/versions/<int:pk>/return/",
        policy_views.policy_version_return,
        name="policy_version_return",
    ),
    path(
        "policy/versions/<int:pk>/publish/",
        policy_views.policy_version_publish,
        name="policy_version_publish",
    ),
    path(
        "policy/versions/<int:pk>/new-version/",
        policy_views.policy_version_new_from,
        name="policy_version_new_from",
    ),
    path(
        "policy/versions/<int:pk>/acknowledge/",
        policy_views.policy_acknowledge,
        name="policy_acknowledge",
    ),
    path(
        "policy/versions/<int:pk>/acknowledgements/",
        policy_views.policy_acknowledgements,
        name="policy_acknowledgements",
    ),
    path("policy/compare/", policy_views.policy_compare, name="policy_compare"),
]

# E2 compliance organisation
urlpatterns += [
    path("organisation/", organisation_views.organisation_home, name="organisation_home"),
    path(
        "organisation/bodies/new/",
        organisation_views.compliance_body_edit,
        name="compliance_body_create",
    ),
    path(
        "organisation/bodies/<int:pk>/",
        organisation_views.compliance_body_detail,
        name="compliance_body_detail",
    ),
    path(
        "organisation/bodies/<int:pk>/edit/",
        organisation_views.compliance_body_edit,
        name="compliance_body_update",
    ),
    path(
        "organisation/positions/",
        organisation_views.PositionListView.as_view(),
        name="position_list",
    ),
    path("organisation/positions/new/", organisation_views.position_edit, name="position_create"),
    path(
        "organisation/positions/<int:pk>/",
        organisation_views.position_detail,
        name="position_detail",
    ),
    path(
        "organisation/positions/<int:pk>/edit/",
        organisation_views.position_edit,
        name="position_update",
    ),
    path("organisation/sod-rules/", organisation_views.sod_rule_list, name="sod_rule_list"),
    path("organisation/sod-rules/new/", organisation_views.sod_rule_edit, name="sod_rule_create"),
    path(
        "organisation/sod-rules/recommended/",
        organisation_views.sod_rules_install,
        name="sod_rules_install",
    ),
    path(
        "organisation/sod-rules/<int:pk>/",
        organisation_views.sod_rule_detail,
        name="sod_rule_detail",
    ),
    path(
        "organisation/sod-rules/<int:pk>/edit/",
        organisation_views.sod_rule_edit,
        name="sod_rule_update",
    ),
]
