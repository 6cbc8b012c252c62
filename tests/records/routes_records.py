"""Permission-table rows for the records pages (element 8) and the notification centre.

Compliance managers keep retention rules, holds and disposal proposals; management approves
disposals; auditors (and management) read everything, including the event log; staff have
their own notifications only.
"""

from django.core.files.base import ContentFile

from tests.routes import EDITORS, EVERY_MEMBER, READERS, Route, expect, own_record

EDIT_POST = own_record({**EDITORS, "manager": 302})
# Only management decides; the role is checked before the record is looked up, so a
# compliance manager of another organisation gets 403 like one of this organisation.
DECIDE_POST = expect(manager=403, auditor=403, executive=302, staff=403, outsider=403)


def _incident_record(world):
    from icp.models import Incident
    from records.models import RetainedRecord
    from records.services.retention import retention_index_record

    incident = Incident.objects.create(
        organisation=world.organisation,
        reference="INC-2025-001",
        title="MOFCOM inquiry on order SO-2025-0042",
        description="Inquiry letter received",
    )
    return retention_index_record(incident) or RetainedRecord.objects.get(
        object_id=str(incident.pk), record_type="icp.incident"
    )


def _retained(world):
    return [_incident_record(world).pk]


def _rule(world):
    from records.models import RetentionRule

    rule = RetentionRule.objects.create(
        organisation=world.organisation, subject="document", years=10, start_event="ended"
    )
    return [rule.pk]


def _hold(world, with_item=False):
    from records.models import LegalHold

    hold = LegalHold.objects.create(
        organisation=world.organisation,
        kind="mofcom_inquiry",
        reference="商务部函〔2026〕8号",
        title="MOFCOM inquiry",
        placed_by=world.users["manager"],
    )
    if with_item:
        item = _incident_record(world)
        hold.items.add(item)
        return [hold.pk, item.pk]
    return [hold.pk]


def _disposal(world):
    from records.models import DisposalRequest

    request = DisposalRequest.objects.create(
        organisation=world.organisation,
        reference="DSP-2026-001",
        proposed_by=world.users["manager"],
    )
    return [request.pk]


def _bundle_job(world):
    from core.models import Job

    job = Job(
        organisation=world.organisation,
        kind="records.bundle",
        status=Job.Status.SUCCEEDED,
        created_by=world.users["auditor"],
    )
    job.result_file.save("bundle.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    job.save()
    return [job.pk]


def _notification(world):
    from records.models import Notification

    notification = Notification.objects.create(
        organisation=world.organisation,
        user=world.users["manager"],
        kind="retention",
        key="retention:test",
        title="Retention ends",
    )
    return [notification.pk]


ROUTES = [
    Route("records:overview", READERS),
    Route("records:retained_list", READERS),
    Route("records:retained_detail", own_record(READERS), args=_retained),
    Route("records:rule_list", READERS),
    Route("records:rule_create", EDITORS),
    Route("records:rule_edit", own_record(EDITORS), args=_rule),
    Route("records:rule_delete", EDIT_POST, args=_rule, method="post"),
    Route("records:hold_list", READERS),
    Route("records:hold_create", EDITORS),
    Route("records:hold_detail", own_record(READERS), args=_hold),
    Route("records:hold_add", EDIT_POST, args=_hold, method="post"),
    Route("records:hold_remove", EDIT_POST, args=lambda w: _hold(w, with_item=True), method="post"),
    Route(
        "records:hold_release",
        EDIT_POST,
        args=_hold,
        method="post",
        data=lambda world: {"note": "Inquiry closed"},
    ),
    Route("records:disposal_schedule", READERS),
    # Nothing chosen: the schedule is shown again with the error (200).
    Route("records:disposal_propose", EDITORS, method="post"),
    Route("records:disposal_list", READERS),
    Route("records:disposal_detail", own_record(READERS), args=_disposal),
    Route("records:disposal_approve", DECIDE_POST, args=_disposal, method="post"),
    Route(
        "records:disposal_reject",
        DECIDE_POST,
        args=_disposal,
        method="post",
        data=lambda world: {"note": "Keep for the audit"},
    ),
    Route("records:event_log", READERS),
    Route("records:event_log_verify", READERS),
    Route("records:bundle_create", READERS),
    Route("records:bundle_download", own_record(READERS), args=_bundle_job),
    Route("records:notification_list", EVERY_MEMBER),
    Route("records:notification_bell", EVERY_MEMBER),
    Route("records:preferences", EVERY_MEMBER),
    Route(
        "records:notification_read_all",
        expect(manager=302, auditor=302, executive=302, staff=302, outsider=302),
        method="post",
    ),
    Route(
        "records:notification_read",
        expect(manager=302, auditor=404, executive=404, staff=404, outsider=404),
        args=_notification,
        method="post",
    ),
]
