"""The overview's "for you" list: what each role should do next, with a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from audits.models import ActionStatus, Audit, AuditStatus, CorrectiveAction, Finding, Severity
from icp.selectors.for_you import for_you
from icp.selectors.overview import programme_overview
from tests.audits.factories import make_audit, transactions_bulk
from tests.icp.factories_emergency import IncidentActionFactory, IncidentFactory
from tests.icp.factories_organisation import ComplianceBodyFactory, PositionFactory
from tests.icp.factories_policy import PolicyVersionFactory
from tests.icp.factories_training import CourseFactory
from tests.trade.test_post_shipment_followup import add_duties
from trade.models import Transaction, TransactionState

pytestmark = pytest.mark.django_db


def _for(world, persona, with_statuses=True):
    membership = Membership.objects.get(organisation=world.organisation, user=world.users[persona])
    statuses = programme_overview(organisation=world.organisation) if with_statuses else None
    return for_you(organisation=world.organisation, membership=membership, statuses=statuses)


def _labels(result):
    return [task.label for task in result.tasks]


def _signed_off_audit(world, *, findings=(Severity.MAJOR, Severity.MINOR), action_status=None):
    audit = make_audit(world)
    today = timezone.localdate()
    for number, severity in enumerate(findings, start=1):
        finding = Finding.objects.create(
            organisation=world.organisation,
            audit=audit,
            number=number,
            element_code="E4",
            title=f"Finding {number}",
            description="Screening was not repeated after a list update.",
            severity=severity,
            raised_by=world.users["auditor"],
        )
        CorrectiveAction.objects.create(
            organisation=world.organisation,
            finding=finding,
            description="Re-screen every party after a list update",
            owner=world.users["manager"],
            due_date=today + datetime.timedelta(days=30),
            status=action_status or ActionStatus.OPEN,
            created_by=world.users["auditor"],
        )
    Audit.objects.filter(pk=audit.pk).update(
        status=AuditStatus.SIGNED_OFF,
        signed_off_at=timezone.now(),
        signed_off_by=world.users["auditor"],
        summary="Screening works; list updates are not followed by a re-screen.",
    )
    return audit


def test_management_sees_the_policy_to_sign_the_manual_and_the_last_audit_result(world):
    policy = PolicyVersionFactory(
        organisation=world.organisation, submitted=True, signatory=world.users["executive"]
    )
    audit = _signed_off_audit(world)
    result = _for(world, "executive")
    sign = result.tasks[0]
    assert "waits for your signature" in sign.label and sign.urgent
    assert sign.url == policy.get_absolute_url()
    # There is no approval of the manual: management is told it is missing and can generate it.
    assert any(
        "No ICP manual" in label and task.url == reverse("icp:manual_home")
        for task, label in zip(result.tasks, _labels(result), strict=True)
    )
    assert result.last_audit.audit == audit
    assert (result.last_audit.major, result.last_audit.minor) == (1, 1)
    assert result.last_audit.actions_open == 2

    html = world.client("executive").get(reverse("icp:overview")).content.decode()
    assert "1 major, 1 minor findings, 0 observations." in html
    assert "waits for your signature" in html
    # The audits card says the result too, not only the date.
    assert "Result: 1 major" in html


def test_staff_see_their_own_open_orders_and_the_training_they_must_take(world):
    mine = transactions_bulk(world, 2, state=TransactionState.ON_HOLD)
    transactions_bulk(world, 3, state=TransactionState.IN_REVIEW, created_by=world.users["manager"])
    transactions_bulk(world, 4, state=TransactionState.APPROVED)
    CourseFactory(organisation=world.organisation)
    result = _for(world, "staff", with_statuses=False)
    labels = _labels(result)
    order_labels = [label for label in labels if label.startswith("Your order")]
    assert sorted(order_labels) == sorted(f"Your order {t.reference}: On hold" for t in mine)
    assert any(
        label.startswith("Training to complete: Export control training") for label in labels
    )

    html = world.client("staff").get(reverse("icp:overview")).content.decode()
    assert mine[0].get_absolute_url() in html
    assert reverse("icp:incident_report") in html


def test_staff_see_their_orders_rejected_lately_not_those_of_long_ago(world):
    rejected = transactions_bulk(world, 1, state=TransactionState.REJECTED)[0]
    old = transactions_bulk(world, 1, state=TransactionState.REJECTED)[0]
    transactions_bulk(world, 1, state=TransactionState.REJECTED, created_by=world.users["manager"])
    now = timezone.now()
    Transaction.objects.filter(pk=rejected.pk).update(
        state_changed_at=now - datetime.timedelta(days=2)
    )
    Transaction.objects.filter(pk=old.pk).update(state_changed_at=now - datetime.timedelta(days=90))
    tasks = [task for task in _for(world, "staff").tasks if task.label.startswith("Your order")]
    assert [task.label for task in tasks] == [f"Your order {rejected.reference}: Rejected"]
    assert tasks[0].urgent
    assert tasks[0].url == rejected.get_absolute_url()


def test_the_auditor_sees_planned_audits_and_actions_to_verify(world):
    audit = make_audit(world)
    _signed_off_audit(world, findings=(Severity.MINOR,), action_status=ActionStatus.DONE)
    result = _for(world, "auditor")
    assert result.tasks[0].url == audit.get_absolute_url()
    verify = next(task for task in result.tasks if "to verify" in task.label)
    assert verify.label == "1 corrective action to verify"
    assert verify.url.endswith(f"?status={ActionStatus.DONE}")


def test_a_new_programme_tells_the_compliance_manager_where_to_start(world):
    result = _for(world, "manager")
    assert [task.url for task in result.start_here][:2] == [
        reverse("icp:organisation_home"),
        reverse("icp:policy_home"),
    ]
    assert len(result.start_here) == 8  # every element but records (the legal minimum applies)
    html = world.client("manager").get(reverse("icp:overview")).content.decode()
    assert "Start here" in html

    ComplianceBodyFactory(organisation=world.organisation)
    PositionFactory(organisation=world.organisation, holder=world.users["manager"])
    assert _for(world, "manager").start_here[0].url == reverse("icp:policy_home")


def test_the_compliance_manager_sees_orders_to_review_and_overdue_work_first_things_first(world):
    transactions_bulk(world, 3, state=TransactionState.IN_REVIEW)
    incident = IncidentFactory(organisation=world.organisation)
    IncidentActionFactory(
        incident=incident,
        owner=world.users["manager"],
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    labels = _labels(_for(world, "manager"))
    assert labels.index("3 orders to review") < labels.index("1 reported concern to triage")
    assert "1 corrective action overdue" in labels
    assert "1 action of an incident is yours to do" in labels


def _grow(world, size):
    transactions_bulk(world, size, state=TransactionState.IN_REVIEW)
    transactions_bulk(world, size, state=TransactionState.DRAFT)
    rejected = transactions_bulk(world, size, state=TransactionState.REJECTED)
    Transaction.objects.filter(pk__in=[t.pk for t in rejected]).update(
        state_changed_at=timezone.now()
    )
    IncidentFactory.create_batch(size, organisation=world.organisation)
    for _ in range(size):
        make_audit(world, sample_size=1)
    CourseFactory.create_batch(2, organisation=world.organisation)
    shipped = transactions_bulk(world, size, state=TransactionState.APPROVED)
    add_duties(world, shipped, days=-2)  # reports after shipment overdue, one per order


@pytest.mark.parametrize("persona", ["manager", "executive", "auditor", "staff"])
def test_the_overview_needs_the_same_number_of_queries_for_few_and_many_records(
    world, persona, django_assert_max_num_queries
):
    client = world.client(persona)
    _grow(world, 2)
    _signed_off_audit(world)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("icp:overview")).status_code == 200
    _grow(world, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("icp:overview")).status_code == 200
    # The ceiling: the overview with every panel, the compliance manager's getting-started
    # progress (9 queries, until each step is done or skipped) included.
    with django_assert_max_num_queries(50):
        client.get(reverse("icp:overview"))
