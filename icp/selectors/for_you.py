"""What each person should do next, on the overview ("for you").

One list per role, from the organisation's own records: management signs and approves, staff
follow their orders and training, auditors run audits and verify actions, the compliance
manager decides hits and reviews orders ("start here" while the programme is being set up).
The number of queries is fixed, whatever the size of the organisation.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import Role
from audits.models import ActionStatus, Audit, AuditStatus, CorrectiveAction
from icp.models import Incident, IncidentAction, PolicyStatus
from icp.selectors.overview import MISSING, OK, AuditResult, ElementStatus, last_audit_result
from icp.selectors.policy import policy_open_version
from icp.selectors.training import training_for_member, training_matrix, training_overdue
from screening.services.screening import alert_hits_open
from trade.models import PostShipmentDuty, Transaction, TransactionState

# The order in which a new programme is best set up in its first week: who is responsible,
# what the company commits to, then the daily work (screening and review), then the rest.
FIRST_WEEK_ORDER = ("E2", "E1", "E4", "E3", "E6", "E5", "E8", "E9", "E7")
OWN_ORDERS_SHOWN = 5
REJECTED_SHOWN_DAYS = 30  # a refusal stays in the staff member's list this long


@dataclass
class Task:
    label: str
    url: str
    detail: str = ""
    urgent: bool = False


@dataclass
class ForYou:
    tasks: list[Task] = field(default_factory=list)
    start_here: list[Task] = field(default_factory=list)
    last_audit: AuditResult | None = None


_UNKNOWN = object()


def _known(statuses: list[ElementStatus] | None, code: str, key: str):
    """A figure the programme overview already read for element `code` (so that the page does
    not count it twice), or _UNKNOWN when the caller has no overview or it lacks the figure."""
    for status in statuses or []:
        if status.code == code:
            return status.known.get(key, _UNKNOWN)
    return _UNKNOWN


def _start_here(statuses: list[ElementStatus]) -> list[Task]:
    """The elements not set up yet, in the order of a first week."""
    labels = {
        "E2": _("Record your compliance organisation and who may stop an export"),
        "E1": _("Write the compliance policy statement and have it signed"),
        "E4": _("Enter your customers and screen them, then review your first order"),
        "E3": _("Assess your export-control risks"),
        "E6": _("Define the training courses"),
        "E5": _("Write response plans for the scenarios the Regulations name"),
        "E8": _("Set how long records are kept"),
        "E9": _("Generate the ICP manual"),
        "E7": _("Plan the first compliance audit"),
    }
    by_code = {status.code: status for status in statuses}
    return [
        Task(label=labels[code], url=by_code[code].url, detail=str(by_code[code].headline))
        for code in FIRST_WEEK_ORDER
        if code in by_code and by_code[code].state == MISSING
    ]


def _own_actions(organisation, user, today) -> list[Task]:
    """Corrective actions (audits and incidents) the person owns and has not finished."""
    audit_actions = CorrectiveAction.objects.for_organisation(organisation).aggregate(
        open=Count(
            "pk", filter=Q(owner=user, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        ),
        overdue=Count(
            "pk",
            filter=Q(
                owner=user,
                status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
                due_date__lt=today,
            ),
        ),
    )
    incident_actions = IncidentAction.objects.filter(
        incident__organisation=organisation, owner=user, done_at__isnull=True
    ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    tasks = []
    if audit_actions["open"]:
        tasks.append(
            Task(
                label=ngettext(
                    "%(count)d corrective action of an audit is yours to do",
                    "%(count)d corrective actions of audits are yours to do",
                    audit_actions["open"],
                )
                % {"count": audit_actions["open"]},
                url=reverse("audits:action_list") + "?mine=1",
                detail=_("%(count)d overdue.") % {"count": audit_actions["overdue"]}
                if audit_actions["overdue"]
                else "",
                urgent=bool(audit_actions["overdue"]),
            )
        )
    if incident_actions["open"]:
        tasks.append(
            Task(
                label=ngettext(
                    "%(count)d action of an incident is yours to do",
                    "%(count)d actions of incidents are yours to do",
                    incident_actions["open"],
                )
                % {"count": incident_actions["open"]},
                url=reverse("icp:incident_list"),
                detail=_("%(count)d overdue.") % {"count": incident_actions["overdue"]}
                if incident_actions["overdue"]
                else "",
                urgent=bool(incident_actions["overdue"]),
            )
        )
    return tasks


def _compliance_manager(organisation, statuses, today) -> ForYou:
    result = ForYou(start_here=_start_here(statuses or []))
    # The overview's figures are today's: for another day, count again.
    known = statuses if today == timezone.localdate() else None
    hits = alert_hits_open(organisation).count()
    if hits:
        result.tasks.append(
            Task(
                label=ngettext(
                    "%(count)d potential match to decide",
                    "%(count)d potential matches to decide",
                    hits,
                )
                % {"count": hits},
                url=reverse("screening:queue"),
                detail=_("Orders with these parties cannot be approved until you decide."),
                urgent=True,
            )
        )
    orders = {key: _known(known, "E4", key) for key in ("in_review", "on_hold")}
    if _UNKNOWN in orders.values():
        orders = Transaction.objects.for_organisation(organisation).aggregate(
            in_review=Count("pk", filter=Q(state=TransactionState.IN_REVIEW)),
            on_hold=Count("pk", filter=Q(state=TransactionState.ON_HOLD)),
        )
    if orders["in_review"]:
        result.tasks.append(
            Task(
                label=ngettext(
                    "%(count)d order to review",
                    "%(count)d orders to review",
                    orders["in_review"],
                )
                % {"count": orders["in_review"]},
                url=reverse("transactions:queue") + f"?state={TransactionState.IN_REVIEW}",
            )
        )
    if orders["on_hold"]:
        result.tasks.append(
            Task(
                label=ngettext(
                    "%(count)d order on hold", "%(count)d orders on hold", orders["on_hold"]
                )
                % {"count": orders["on_hold"]},
                url=reverse("transactions:queue") + f"?state={TransactionState.ON_HOLD}",
            )
        )
    reports = (
        PostShipmentDuty.objects.for_organisation(organisation)
        .filter(done_at__isnull=True, due_on__lt=today)
        .count()
    )
    if reports:
        result.tasks.append(
            Task(
                label=ngettext(
                    "%(n)s report after shipment overdue (《两用物项出口管制条例》第十八条第一款)",
                    "%(n)s reports after shipment overdue (《两用物项出口管制条例》第十八条第一款)",
                    reports,
                )
                % {"n": reports},
                url=reverse("transactions:queue") + "?reports=overdue",
                detail=_(
                    "Report the actual shipment, arrival, installation or use to MOFCOM as the "
                    "licence requires, and record the evidence on the order."
                ),
                urgent=True,
            )
        )
    incidents = {"new": _known(known, "E5", "incidents_new")}
    if incidents["new"] is _UNKNOWN:
        incidents = Incident.objects.for_organisation(organisation).aggregate(
            new=Count("pk", filter=Q(status=Incident.Status.REPORTED))
        )
    if incidents["new"]:
        result.tasks.append(
            Task(
                label=ngettext(
                    "%(count)d reported concern to triage",
                    "%(count)d reported concerns to triage",
                    incidents["new"],
                )
                % {"count": incidents["new"]},
                url=reverse("icp:incident_list") + f"?status={Incident.Status.REPORTED}",
                urgent=True,
            )
        )
    audit_overdue = _known(known, "E7", "audit_actions_overdue")
    if audit_overdue is _UNKNOWN:
        audit_overdue = (
            CorrectiveAction.objects.for_organisation(organisation)
            .filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], due_date__lt=today)
            .count()
        )
    incident_overdue = _known(known, "E5", "incident_actions_overdue")
    if incident_overdue is _UNKNOWN:
        incident_overdue = IncidentAction.objects.filter(
            incident__organisation=organisation, done_at__isnull=True, due_on__lt=today
        ).count()
    overdue_actions = audit_overdue + incident_overdue
    if overdue_actions:
        result.tasks.append(
            Task(
                label=ngettext(
                    "%(count)d corrective action overdue",
                    "%(count)d corrective actions overdue",
                    overdue_actions,
                )
                % {"count": overdue_actions},
                url=reverse("audits:action_list"),
                urgent=True,
            )
        )
    training = _known(known, "E6", "training_overdue")
    if training is _UNKNOWN:
        training = len(
            training_overdue(matrix=training_matrix(organisation=organisation, today=today))
        )
    if training:
        result.tasks.append(
            Task(
                label=ngettext(
                    "%(count)d training overdue", "%(count)d trainings overdue", training
                )
                % {"count": training},
                url=reverse("icp:training_overdue"),
            )
        )
    by_code = {status.code: status for status in statuses or []}
    for code in ("E1", "E3"):
        status = by_code.get(code)
        if status is not None and status.state != MISSING and status.overdue:
            result.tasks.append(
                Task(
                    label=_("Review due since %(date)s: %(what)s")
                    % {
                        "date": date_format(status.next_due, "SHORT_DATE_FORMAT"),
                        "what": status.headline,
                    },
                    url=status.url,
                )
            )
    return result


def _management(organisation, user, statuses) -> ForYou:
    last_audit = _known(statuses, "E7", "last_audit")
    if last_audit is _UNKNOWN:
        last_audit = last_audit_result(organisation=organisation)
    result = ForYou(last_audit=last_audit)
    policy = policy_open_version(organisation=organisation)
    if policy is not None and policy.status == PolicyStatus.SUBMITTED:
        if policy.signatory_id in (None, user.pk):
            label = _("Policy statement version %(number)s waits for your signature")
        else:
            label = _("Policy statement version %(number)s waits for signature")
        result.tasks.append(
            Task(
                label=label % {"number": policy.number},
                url=policy.get_absolute_url(),
                detail=_("Read it, then approve it or return it with your comments."),
                urgent=True,
            )
        )
    manual = next((status for status in statuses or [] if status.code == "E9"), None)
    if manual is not None and manual.state == MISSING:
        result.tasks.append(
            Task(
                label=_("No ICP manual has been generated yet"),
                url=manual.url,
                detail=_("Generate it for the licence application; it is made from the records."),
            )
        )
    elif manual is not None and manual.state != OK:
        result.tasks.append(
            Task(
                label=_("The ICP manual is out of date"),
                url=manual.url,
                detail=_("The programme changed since the last version: generate a new one."),
            )
        )
    return result


def _staff(organisation, membership, today) -> ForYou:
    result = ForYou()
    # Open orders, and the orders refused lately: the person who entered them must learn of it.
    rejected_since = timezone.now() - datetime.timedelta(days=REJECTED_SHOWN_DAYS)
    orders = list(
        Transaction.objects.for_organisation(organisation)
        .filter(created_by=membership.user)
        .filter(
            Q(
                state__in=[
                    TransactionState.DRAFT,
                    TransactionState.IN_REVIEW,
                    TransactionState.ON_HOLD,
                ]
            )
            | Q(state=TransactionState.REJECTED, state_changed_at__gte=rejected_since)
        )
        .only("pk", "reference", "state", "end_user_name")
        .order_by(Coalesce("state_changed_at", "created_at").desc())[: OWN_ORDERS_SHOWN + 1]
    )
    for order in orders[:OWN_ORDERS_SHOWN]:
        result.tasks.append(
            Task(
                label=_("Your order %(reference)s: %(state)s")
                % {"reference": order.reference, "state": order.get_state_display()},
                url=order.get_absolute_url(),
                detail=order.end_user_name,
                urgent=order.state in (TransactionState.ON_HOLD, TransactionState.REJECTED),
            )
        )
    if len(orders) > OWN_ORDERS_SHOWN:
        result.tasks.append(Task(label=_("All orders"), url=reverse("transactions:queue")))
    row = training_for_member(organisation=organisation, membership=membership, today=today)
    for cell in row.missing:
        result.tasks.append(
            Task(
                label=_("Training to complete: %(course)s") % {"course": cell.course},
                url=reverse("icp:training_mine"),
                detail=cell.label,
                urgent=True,
            )
        )
    return result


def _auditor(organisation, user) -> ForYou:
    result = ForYou()
    audits = (
        Audit.objects.for_organisation(organisation)
        .filter(status__in=[AuditStatus.PLANNED, AuditStatus.IN_PROGRESS])
        .filter(Q(lead_auditor=user) | Q(team=user))
        .distinct()
        .order_by("planned_start", "pk")
    )
    for audit in audits[:OWN_ORDERS_SHOWN]:
        result.tasks.append(
            Task(
                label=_("%(audit)s: %(status)s from %(date)s")
                % {
                    "audit": audit,
                    "status": audit.get_status_display(),
                    "date": date_format(audit.planned_start, "SHORT_DATE_FORMAT"),
                },
                url=audit.get_absolute_url(),
                urgent=audit.status == AuditStatus.PLANNED
                and audit.planned_start < timezone.localdate(),
            )
        )
    to_verify = (
        CorrectiveAction.objects.for_organisation(organisation)
        .filter(status=ActionStatus.DONE)
        .exclude(owner=user)
        .count()
    )
    if to_verify:
        result.tasks.append(
            Task(
                label=ngettext(
                    "%(count)d corrective action to verify",
                    "%(count)d corrective actions to verify",
                    to_verify,
                )
                % {"count": to_verify},
                url=reverse("audits:action_list") + f"?status={ActionStatus.DONE}",
                urgent=True,
            )
        )
    return result


def for_you(
    *,
    organisation,
    membership,
    statuses: list[ElementStatus] | None = None,
    today: datetime.date | None = None,
) -> ForYou:
    """What `membership` should do next. `statuses` is the programme overview when the caller
    already has it (the compliance manager's "start here" and management's manual use it)."""
    today = today or timezone.localdate()
    role = membership.role
    if role == Role.COMPLIANCE_MANAGER:
        result = _compliance_manager(organisation, statuses, today)
    elif role == Role.MANAGEMENT:
        result = _management(organisation, membership.user, statuses)
    elif role == Role.AUDITOR:
        result = _auditor(organisation, membership.user)
    else:
        result = _staff(organisation, membership, today)
    result.tasks.extend(_own_actions(organisation, membership.user, today))
    return result
