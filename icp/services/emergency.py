"""E5 rules: reporting, triage, investigation, the report to MOFCOM, corrective actions and
closure of incidents; response plans."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts.models import Membership
from accounts.permissions import require_role
from core.i18n import joined, parenthesised
from icp.models import Incident, IncidentAction, IncidentEvent, ResponsePlan
from trade.models import Transaction, TransactionState
from trade.services.transaction import transaction_hold

Event = IncidentEvent.Kind


def _require_manager(membership) -> None:
    require_role(
        membership=membership,
        roles=roles.PROGRAMME_EDITORS,
        message=_("Only a compliance manager may do this."),
    )


def _require_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed and can no longer be changed."))


def _require_member(organisation, user, field: str) -> None:
    if (
        user is not None
        and not Membership.objects.active().filter(organisation=organisation, user=user).exists()
    ):
        raise ValidationError({field: _("Choose a member of this organisation.")})


def _next_reference(organisation) -> str:
    year = timezone.localdate().year
    prefix = f"INC-{year}-"
    last = (
        Incident.objects.for_organisation(organisation)
        .filter(reference__startswith=prefix)
        .aggregate(last=Max("reference"))["last"]
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def incident_report(
    *, membership, title: str, description: str, scenario: str, anonymous: bool = False
) -> Incident:
    """Any member may report a concern. An anonymous report keeps no trace of who made it: no
    reporter, no user on the history or the timeline."""
    if not title.strip() or not description.strip():
        raise ValidationError(_("Give the concern a title and describe what happened."))
    incident = Incident(
        organisation=membership.organisation,
        reference=_next_reference(membership.organisation),
        title=title.strip(),
        description=description.strip(),
        scenario=scenario,
        reported_by=None if anonymous else membership.user,
    )
    incident.full_clean()
    if anonymous:
        # The reporter's only way back to the report: shown once (an attribute the view reads,
        # no field), kept as a hash; simple_history adds the save that writes no history row.
        incident.receipt_code = receipt_code_new()  # type: ignore[attr-defined]
        incident.receipt_hash = receipt_hash(incident.receipt_code)  # type: ignore[attr-defined]
        incident.save_without_historical_record()  # type: ignore[attr-defined]
    else:
        incident.save()
    IncidentEvent.objects.create(
        incident=incident,
        actor=None if anonymous else membership.user,
        kind=Event.REPORTED,
        code="reported_anonymously" if anonymous else "",
    )
    return incident


@transaction.atomic
def incident_triage(
    *, membership, incident: Incident, severity: str, scenario: str, owner, response_plan, note=""
) -> Incident:
    """Assess a reported incident: severity, scenario, owner and the response plan to follow."""
    _require_manager(membership)
    _require_open(incident)
    _require_member(incident.organisation, owner, "owner")
    if response_plan is not None and response_plan.organisation_id != incident.organisation_id:
        raise ValidationError({"response_plan": _("Choose a plan of this organisation.")})
    incident.severity = severity
    incident.scenario = scenario
    incident.owner = owner
    incident.response_plan = response_plan
    incident.status = Incident.Status.INVESTIGATING
    incident.full_clean()
    incident.save()
    IncidentEvent.objects.create(
        incident=incident,
        actor=membership.user,
        kind=Event.TRIAGED,
        # A person's note as written; otherwise the system's sentence, as a code.
        text=note.strip(),
        code="" if note.strip() else "triaged",
        params={} if note.strip() else {"severity": incident.severity, "owner": str(owner)},
    )
    return incident


def incident_add_note(*, membership, incident: Incident, text: str) -> IncidentEvent:
    _require_manager(membership)
    _require_open(incident)
    if not text.strip():
        raise ValidationError(_("The note is empty."))
    return IncidentEvent.objects.create(
        incident=incident, actor=membership.user, kind=Event.NOTE, text=text.strip()
    )


def receipt_code_new() -> str:
    """A receipt code nobody can guess (20 characters from 32 symbols: 100 bits), grouped
    in fours so it can be copied from paper."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(20))
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


def receipt_hash(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


def incident_reply(*, membership, incident: Incident, text: str) -> IncidentEvent:
    """A reply the reporter reads on the follow-up page (no name of who wrote it)."""
    _require_manager(membership)
    if not text.strip():
        raise ValidationError(_("The reply is empty."))
    return IncidentEvent.objects.create(
        incident=incident, actor=membership.user, kind=Event.REPLY, text=text.strip()
    )


@transaction.atomic
def incident_record_mofcom_report(
    *, membership, incident: Incident, reported_on: datetime.date, reference: str, content: str
) -> Incident:
    """Record the report made to MOFCOM: its date, MOFCOM's reference and what was reported."""
    _require_manager(membership)
    _require_open(incident)
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The report date cannot be in the future.")})
    if not content.strip():
        raise ValidationError({"content": _("Record what was reported.")})
    incident.mofcom_reported_on = reported_on
    incident.mofcom_reference = reference.strip()
    incident.mofcom_report = content.strip()
    incident.save()
    IncidentEvent.objects.create(
        incident=incident,
        actor=membership.user,
        kind=Event.MOFCOM_REPORTED,
        code="mofcom_reported" if reference.strip() else "mofcom_reported_no_reference",
        params={"date": reported_on.isoformat(), "reference": reference.strip()},
    )
    return incident


@transaction.atomic
def incident_add_action(
    *, membership, incident: Incident, description: str, owner, due_on: datetime.date
) -> IncidentAction:
    _require_manager(membership)
    _require_open(incident)
    _require_member(incident.organisation, owner, "owner")
    if not description.strip():
        raise ValidationError({"description": _("Describe the action.")})
    action = IncidentAction.objects.create(
        incident=incident, description=description.strip(), owner=owner, due_on=due_on
    )
    IncidentEvent.objects.create(
        incident=incident,
        actor=membership.user,
        kind=Event.ACTION_ADDED,
        code="action_added",
        params={"action": action.description, "owner": str(owner), "due": due_on.isoformat()},
    )
    return action


@transaction.atomic
def incident_complete_action(*, membership, action: IncidentAction, note: str) -> IncidentAction:
    """The action's owner or a compliance manager records that it is done, and how."""
    incident = action.incident
    _require_open(incident)
    if membership.user_id != action.owner_id:
        require_role(
            membership=membership,
            roles=roles.PROGRAMME_EDITORS,
            message=_("Only the action's owner or a compliance manager may do this."),
        )
    if action.is_done:
        raise ValidationError(_("This action is already done."))
    if not note.strip():
        raise ValidationError({"note": _("Say how the action was done.")})
    action.done_at = timezone.now()
    action.done_note = note.strip()
    action.save()
    IncidentEvent.objects.create(
        incident=incident, actor=membership.user, kind=Event.ACTION_DONE, text=action.description
    )
    return action


@transaction.atomic
def incident_close(
    *, membership, incident: Incident, summary: str, not_reportable_reason: str = ""
) -> Incident:
    """Close an investigated incident. Every corrective action must be done, and a scenario that
    the law makes reportable needs the MOFCOM report recorded or a reason why none is due."""
    _require_manager(membership)
    _require_open(incident)
    if incident.status != Incident.Status.INVESTIGATING:
        raise ValidationError(_("Triage the incident before closing it."))
    if not summary.strip():
        raise ValidationError({"summary": _("Summarise the outcome.")})
    open_actions = incident.actions.filter(done_at__isnull=True).count()
    if open_actions:
        raise ValidationError(
            ngettext(
                "%(count)d corrective action is not done yet.",
                "%(count)d corrective actions are not done yet.",
                open_actions,
            )
            % {"count": open_actions}
        )
    if (
        incident.requires_mofcom_report
        and incident.mofcom_reported_on is None
        and not not_reportable_reason.strip()
    ):
        raise ValidationError(
            _(
                "This scenario must be reported to MOFCOM (%(basis)s): record the report, or "
                "explain why none is due."
            )
            % {"basis": incident.reporting_basis}
        )
    incident.status = Incident.Status.CLOSED
    incident.closed_at = timezone.now()
    incident.closed_by = membership.user
    incident.closure_summary = summary.strip()
    incident.not_reportable_reason = not_reportable_reason.strip()
    incident.save()
    IncidentEvent.objects.create(
        incident=incident, actor=membership.user, kind=Event.CLOSED, text=incident.closure_summary
    )
    return incident


@transaction.atomic
def incident_link_transaction(*, membership, incident: Incident, reference: str):
    """Link an export transaction of the organisation, found by its reference, to the incident."""
    _require_manager(membership)
    _require_open(incident)
    found = (
        Transaction.objects.for_organisation(incident.organisation)
        .filter(reference__iexact=reference.strip())
        .first()
    )
    if found is None:
        raise ValidationError(
            _("No transaction with the reference %(reference)s.") % {"reference": reference}
        )
    incident.transactions.add(found)
    IncidentEvent.objects.create(
        incident=incident,
        actor=membership.user,
        kind=Event.NOTE,
        code="transaction_linked",
        params={"reference": found.reference},
    )
    return found


@transaction.atomic
def incident_stop_shipment(*, membership, incident: Incident, reason: str) -> list:
    """Emergency stop: put every linked transaction that can still ship on hold, at once, with
    the incident as the source (REGS Art. 25: stop the export immediately)."""
    _require_manager(membership)
    _require_open(incident)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the shipment is stopped.")})
    linked = list(incident.transactions.exclude(state=TransactionState.REJECTED))
    if not linked:
        raise ValidationError(_("Link the transactions concerned first."))
    held = [
        transaction_hold(
            transaction=linked_transaction,
            user=membership.user,
            reason=reason.strip(),
            source=f"incident:{incident.reference}",
        )
        for linked_transaction in linked
    ]
    IncidentEvent.objects.create(
        incident=incident,
        actor=membership.user,
        kind=Event.SHIPMENT_STOPPED,
        text=reason.strip() + parenthesised(joined(t.reference for t in held)),
    )
    return held


def response_plan_save(*, membership, plan: ResponsePlan) -> ResponsePlan:
    _require_manager(membership)
    if plan.organisation_id != membership.organisation_id:
        raise PermissionDenied
    _require_member(plan.organisation, plan.owner, "owner")
    plan.full_clean()
    plan.save()
    return plan
