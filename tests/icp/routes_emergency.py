from tests.icp.factories_emergency import IncidentFactory, ResponsePlanFactory
from tests.routes import EDITORS, EVERY_MEMBER, PUBLIC, READERS, Route, own_record


def _incident(world):
    return [IncidentFactory(organisation=world.organisation, reported_by=world.users["auditor"]).pk]


def _customs_incident(world):
    from icp.models import Scenario

    incident = IncidentFactory(
        organisation=world.organisation,
        reported_by=world.users["auditor"],
        scenario=Scenario.CUSTOMS_CHALLENGE,
    )
    return [incident.pk]


def _plan(world):
    return [ResponsePlanFactory(organisation=world.organisation).pk]


def _action(world):
    from tests.icp.factories_emergency import IncidentActionFactory

    action = IncidentActionFactory(
        incident__organisation=world.organisation, owner=world.users["manager"]
    )
    return [action.incident.pk, action.pk]


# Staff who did not report the incident get 404: they must not learn it exists.
INCIDENT_READERS = own_record({**READERS, "staff": 404})
# POST actions redirect back to the incident (302) for those allowed; these rows post nothing,
# so the incident page is shown again with the form's errors (200).
INCIDENT_EDIT = own_record({**EDITORS, "manager": 200})

ROUTES = [
    Route("icp:incident_list", EVERY_MEMBER),
    Route("icp:incident_report", EVERY_MEMBER),
    # Login-free: the anonymous reporter follows the report with the receipt code.
    Route("icp:incident_follow", PUBLIC),
    Route("icp:incident_detail", INCIDENT_READERS, args=_incident),
    Route("icp:incident_triage", INCIDENT_EDIT, args=_incident, method="post"),
    Route("icp:incident_note", INCIDENT_EDIT, args=_incident, method="post"),
    Route("icp:incident_mofcom", INCIDENT_EDIT, args=_incident, method="post"),
    Route("icp:incident_action_add", INCIDENT_EDIT, args=_incident, method="post"),
    Route("icp:incident_close", INCIDENT_EDIT, args=_incident, method="post"),
    Route("icp:incident_link_transaction", INCIDENT_EDIT, args=_incident, method="post"),
    Route("icp:incident_stop_shipment", INCIDENT_EDIT, args=_incident, method="post"),
    Route(
        "icp:incident_action_done",
        # No note: the compliance manager sees the form again with the error (200); the
        # others have no such form on the page and are told in a message (302).
        own_record({**READERS, "manager": 200, "auditor": 302, "executive": 302, "staff": 404}),
        args=_action,
        method="post",
    ),
    Route("icp:plan_list", READERS),
    Route("icp:plan_create", EDITORS),
    Route(
        "icp:plan_from_template",
        {**EDITORS, "manager": 302, "outsider": 302},
        args=lambda world: ["customs_challenge"],
        method="post",
    ),
    Route("icp:incident_letter", own_record(READERS), args=_customs_incident),
    Route("icp:plan_detail", own_record(READERS), args=_plan),
    Route("icp:plan_edit", own_record(EDITORS), args=_plan),
    # Shared blocks, exercised on an incident (a registered record).
    Route(
        "core:comment_add",
        own_record({**READERS, "manager": 302, "auditor": 302, "executive": 302}),
        args=lambda world: ["icp.incident", _incident(world)[0]],
        method="post",
        data=lambda world: {"body": "Noted."},
    ),
    Route(
        "records:document_upload",
        own_record(EDITORS),  # no file: the form is shown again with the error (200)
        args=lambda world: ["icp.incident", _incident(world)[0]],
        method="post",
    ),
    Route("records:document_download", own_record(READERS), args=lambda world: [_document(world)]),
]


def _document(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from icp.models import Incident
    from records.services import document_attach

    incident = Incident.objects.get(pk=_incident(world)[0])
    return document_attach(
        organisation=world.organisation,
        user=world.users["manager"],
        target=incident,
        upload=SimpleUploadedFile("euc.pdf", b"%PDF-1.4\n%%EOF\n"),
    ).pk
