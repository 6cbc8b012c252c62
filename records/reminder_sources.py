"""The reminder sources of the programme: what falls due, for whom.

Each source is a small read: it returns ReminderItems whose `key` names the thing and its state
(due soon / overdue), so a member is told once per state, not every day. Sources for models
that do not exist in this installation return nothing. Sources that read a higher app's
selectors or models live in that app and register with the same decorator: training refreshers
in icp/reminder_sources.py, reports after shipment in trade/reminder_sources.py (records sits
below them in the layers, see pyproject.toml).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from accounts.models import Membership
from accounts.roles import Role

from .services.reminders import ReminderItem, reminder_source

DUE_SOON_DAYS = 30
ACTION_DUE_SOON_DAYS = 7
RISK_ASSESSMENT_MONTHS = 12

MANAGERS = frozenset({Role.COMPLIANCE_MANAGER})
MANAGERS_AND_MANAGEMENT = frozenset({Role.COMPLIANCE_MANAGER, Role.MANAGEMENT})


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _state(due: datetime.date, today: datetime.date) -> str:
    return "overdue" if due < today else "due"


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


@reminder_source("policy_review", _("Policy statement review due"))
def policy_review(organisation, today):
    PolicyVersion = _model("icp.PolicyVersion")
    if PolicyVersion is None:
        return
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    versions = PolicyVersion.objects.for_organisation(organisation).filter(
        status="published", review_due_date__lte=horizon
    )
    for version in versions:
        due = version.review_due_date
        state = _state(due, today)
        yield ReminderItem(
            kind="policy_review",
            key=f"policy_review:{version.pk}:{state}",
            message=(
                _("The policy statement v%(number)s was due for review on %(date)s.")
                if state == "overdue"
                else _("The policy statement v%(number)s is due for review on %(date)s.")
            ),
            params={"number": version.number, "date": due.isoformat()},
            url=version.get_absolute_url(),
            due_on=due,
            roles=MANAGERS_AND_MANAGEMENT,
        )


@reminder_source("policy_acknowledgement", _("Policy statement not yet acknowledged"))
def policy_acknowledgement(organisation, today):
    PolicyVersion = _model("icp.PolicyVersion")
    if PolicyVersion is None:
        return
    version = (
        PolicyVersion.objects.for_organisation(organisation).filter(status="published").first()
    )
    if version is None:
        return
    acknowledged = set(version.acknowledgements.values_list("user_id", flat=True))
    members = set(
        Membership.objects.active()
        .filter(organisation=organisation)
        .values_list("user_id", flat=True)
    )
    pending = frozenset(members - acknowledged)
    if pending:
        yield ReminderItem(
            kind="policy_acknowledgement",
            key=f"policy_acknowledgement:{version.pk}",
            message=_("Please read and acknowledge the compliance policy statement v%(number)s."),
            params={"number": version.number},
            url=_url("icp:policy_home"),
            user_ids=pending,
        )


@reminder_source("risk_assessment", _("Risk assessment older than 12 months"))
def risk_assessment(organisation, today):
    RiskAssessment = _model("icp.RiskAssessment")
    if RiskAssessment is None:
        return
    latest = (
        RiskAssessment.objects.for_organisation(organisation)
        .filter(status="approved")
        .order_by("-assessment_date", "-pk")
        .first()
    )
    limit = today - relativedelta(months=RISK_ASSESSMENT_MONTHS)
    if latest is None:
        yield ReminderItem(
            kind="risk_assessment",
            key="risk_assessment:none",
            message=_("There is no approved risk assessment yet."),
            url=_url("icp:risk_assessment_list"),
            roles=MANAGERS,
        )
    elif latest.assessment_date < limit:
        yield ReminderItem(
            kind="risk_assessment",
            key=f"risk_assessment:{latest.pk}:stale",
            message=_(
                "The risk assessment in force is dated %(date)s: more than 12 months old. "
                "Start the next one."
            ),
            params={"date": latest.assessment_date.isoformat()},
            url=latest.get_absolute_url(),
            due_on=latest.assessment_date + relativedelta(months=RISK_ASSESSMENT_MONTHS),
            roles=MANAGERS,
        )


@reminder_source("corrective_action", _("Corrective action due or overdue"))
def corrective_action(organisation, today):
    IncidentAction = _model("icp.IncidentAction")
    if IncidentAction is None:
        return
    horizon = today + datetime.timedelta(days=ACTION_DUE_SOON_DAYS)
    actions = IncidentAction.objects.filter(
        incident__organisation=organisation, done_at__isnull=True, due_on__lte=horizon
    ).select_related("incident")
    for action in actions:
        state = _state(action.due_on, today)
        yield ReminderItem(
            kind="corrective_action",
            key=f"corrective_action:{action.pk}:{state}",
            message=(
                _("Corrective action of %(incident)s overdue since %(date)s: %(action)s")
                if state == "overdue"
                else _("Corrective action of %(incident)s due on %(date)s: %(action)s")
            ),
            params={
                "incident": action.incident.reference,
                "date": action.due_on.isoformat(),
                "action": str(action),
            },
            url=action.incident.get_absolute_url(),
            due_on=action.due_on,
            roles=MANAGERS,
            user_ids=frozenset({action.owner_id}),
        )


@reminder_source("euc_expiry", _("End-user certificate expiring"))
def euc_expiry(organisation, today):
    Transaction = _model("trade.Transaction")
    if Transaction is None or not hasattr(Transaction, "euc_valid_until"):
        return
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    transactions = (
        Transaction.objects.for_organisation(organisation)
        .filter(euc_valid_until__isnull=False, euc_valid_until__lte=horizon)
        .exclude(state__in=("draft", "rejected"))
        .filter(shipped_on__isnull=True)
    )
    for transaction in transactions:
        due = transaction.euc_valid_until
        state = "expired" if due < today else "due"
        yield ReminderItem(
            kind="euc_expiry",
            key=f"euc_expiry:{transaction.pk}:{state}",
            message=(
                _("The end-user certificate of %(reference)s expired on %(date)s.")
                if state == "expired"
                else _("The end-user certificate of %(reference)s expires on %(date)s.")
            ),
            params={"reference": transaction.reference, "date": due.isoformat()},
            url=_safe_absolute_url(transaction),
            due_on=due,
            roles=MANAGERS,
        )


@reminder_source("licence_expiry", _("Licence expiring"))
def licence_expiry(organisation, today):
    Licence = _model("trade.Licence")
    if Licence is None:
        return
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS * 2)
    licences = Licence.objects.for_organisation(organisation).filter(
        valid_until__gte=today - datetime.timedelta(days=1), valid_until__lte=horizon
    )
    if hasattr(Licence, "revoked_at"):
        licences = licences.filter(revoked_at__isnull=True)
    for licence in licences:
        due = licence.valid_until
        yield ReminderItem(
            kind="licence_expiry",
            key=f"licence_expiry:{licence.pk}:{due.isoformat()}",
            message=_("Licence %(licence)s expires on %(date)s."),
            params={"licence": str(licence), "date": due.isoformat()},
            url=_safe_absolute_url(licence),
            due_on=due,
            roles=MANAGERS,
        )


@reminder_source("retention", _("Retention periods ending"))
def retention(organisation, today):
    from records.models import RetainedRecord

    from .services.disposal import disposal_schedule

    eligible = disposal_schedule(organisation=organisation, today=today).count()
    if eligible:
        yield ReminderItem(
            kind="retention",
            key=f"retention:eligible:{today:%Y-%m}",
            message=_(
                "%(count)s records have reached the end of their retention period and may be "
                "proposed for disposal."
            ),
            params={"count": eligible},
            url=_url("records:disposal_schedule"),
            roles=MANAGERS,
        )
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    ending = (
        RetainedRecord.objects.for_organisation(organisation)
        .filter(disposed_at__isnull=True, retained_until__gt=today, retained_until__lte=horizon)
        .count()
    )
    if ending:
        yield ReminderItem(
            kind="retention",
            key=f"retention:ending:{today:%Y-%m}",
            message=_("The retention period of %(count)s records ends within 30 days."),
            params={"count": ending},
            url=_url("records:retained_list") + "?state=retained",
            roles=MANAGERS,
        )


def _safe_absolute_url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


# Planned audits: the audits app registers its own source, e.g.
#   @reminder_source("audit", _("Planned audit")) def planned_audits(organisation, today): ...
# The kind is declared here so members can turn it off before the first audit exists.
@reminder_source("audit", _("Planned audit"))
def planned_audits(organisation, today):
    Audit = _model("audits.Audit")
    if Audit is None or not hasattr(Audit, "planned_start"):
        return
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    audits = Audit.objects.for_organisation(organisation).filter(
        planned_start__gte=today, planned_start__lte=horizon
    )
    if hasattr(Audit, "status"):
        audits = audits.filter(status="planned")
    for audit in audits:
        yield ReminderItem(
            kind="audit",
            key=f"audit:{audit.pk}:{audit.planned_start.isoformat()}",
            message=_("Audit %(audit)s is planned to start on %(date)s."),
            params={"audit": str(audit), "date": audit.planned_start.isoformat()},
            url=_safe_absolute_url(audit),
            due_on=audit.planned_start,
            roles=frozenset(role_sets.AUDITORS | MANAGERS),
        )


@reminder_source("corrective_action", _("Corrective action due or overdue"))
def audit_corrective_action(organisation, today):
    """Corrective actions of audit findings (the audits app), not yet done."""
    CorrectiveAction = _model("audits.CorrectiveAction")
    if CorrectiveAction is None:
        return
    horizon = today + datetime.timedelta(days=ACTION_DUE_SOON_DAYS)
    actions = (
        CorrectiveAction.objects.for_organisation(organisation)
        .filter(status__in=("open", "in_progress"), due_date__lte=horizon)
        .select_related("finding")
    )
    for action in actions:
        state = _state(action.due_date, today)
        yield ReminderItem(
            kind="corrective_action",
            key=f"audit_action:{action.pk}:{state}",
            message=(
                _(
                    "Corrective action of audit finding %(finding)s overdue since %(date)s: "
                    "%(action)s"
                )
                if state == "overdue"
                else _("Corrective action of audit finding %(finding)s due on %(date)s: %(action)s")
            ),
            params={
                "finding": str(action.finding),
                "date": action.due_date.isoformat(),
                "action": action.description[:120],
            },
            url=_safe_absolute_url(action.finding),
            due_on=action.due_date,
            roles=MANAGERS,
            user_ids=frozenset({action.owner_id}),
        )
