"""What the overview costs (issue #18, bench/page_cost.py): figures read once per page, the
manual's change check compiled once per process, and a query ceiling per role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from audits.models import ActionStatus, Audit, AuditStatus, CorrectiveAction, Finding, Severity
from icp.selectors.for_you import for_you
from icp.selectors.manual import _programme_changed_query, programme_changed_at
from icp.selectors.overview import programme_overview
from tests.audits.factories import make_audit, transactions_bulk
from tests.icp.factories_emergency import IncidentActionFactory, IncidentFactory
from tests.icp.factories_training import CourseFactory
from trade.models import TransactionState

pytestmark = pytest.mark.django_db


def _busy(world):
    """Something for every figure "for you" shares with the overview."""
    today = timezone.localdate()
    transactions_bulk(world, 3, state=TransactionState.IN_REVIEW)
    transactions_bulk(world, 2, state=TransactionState.ON_HOLD)
    IncidentFactory.create_batch(2, organisation=world.organisation)
    IncidentActionFactory(
        incident=IncidentFactory(organisation=world.organisation),
        owner=world.users["manager"],
        due_on=today - datetime.timedelta(days=3),
    )
    CourseFactory.create_batch(2, organisation=world.organisation)
    audit = make_audit(world)
    finding = Finding.objects.create(
        organisation=world.organisation,
        audit=audit,
        number=1,
        element_code="E4",
        title="Finding 1",
        description="Screening was not repeated after a list update.",
        severity=Severity.MAJOR,
        raised_by=world.users["auditor"],
    )
    for status in (ActionStatus.OPEN, ActionStatus.DONE):  # only the open one is "overdue"
        CorrectiveAction.objects.create(
            organisation=world.organisation,
            finding=finding,
            description="Re-screen every party after a list update",
            owner=world.users["manager"],
            due_date=today - datetime.timedelta(days=2),
            status=status,
            created_by=world.users["auditor"],
        )
    Audit.objects.filter(pk=audit.pk).update(
        status=AuditStatus.SIGNED_OFF,
        signed_off_at=timezone.now(),
        signed_off_by=world.users["auditor"],
        summary="Screening works; list updates are not followed by a re-screen.",
    )


def _tasks(result):
    return [(task.label, task.url, task.detail, task.urgent) for task in result.tasks]


@pytest.mark.parametrize("persona", ["manager", "executive"])
def test_for_you_shows_the_same_with_the_overviews_figures_as_counting_itself(world, persona):
    _busy(world)
    membership = Membership.objects.get(organisation=world.organisation, user=world.users[persona])
    statuses = programme_overview(organisation=world.organisation)
    shared = for_you(organisation=world.organisation, membership=membership, statuses=statuses)
    # The same overview with its shared figures removed: for you counts them itself.
    for status in statuses:
        status.known.clear()
    counted = for_you(organisation=world.organisation, membership=membership, statuses=statuses)
    assert _tasks(shared) == _tasks(counted)
    assert shared.last_audit == counted.last_audit
    if persona == "manager":
        labels = " ".join(label for label, *_rest in _tasks(shared))
        assert "3 orders to review" in labels
        assert "2 orders on hold" in labels
        assert "2 corrective actions overdue" in labels  # one of the audit, one of an incident
        assert "trainings overdue" in labels
    else:
        assert shared.last_audit is not None and shared.last_audit.major == 1


def test_for_you_counts_again_for_another_day_than_the_overviews(world):
    _busy(world)
    membership = Membership.objects.get(
        organisation=world.organisation, user=world.users["manager"]
    )
    statuses = programme_overview(organisation=world.organisation)
    long_ago = timezone.localdate() - datetime.timedelta(days=365)
    result = for_you(
        organisation=world.organisation, membership=membership, statuses=statuses, today=long_ago
    )
    # A year ago no corrective action was overdue yet, whatever the overview counted for today.
    labels = [task.label for task in result.tasks]
    assert not any("corrective action" in label and "overdue" in label for label in labels)
    today = for_you(organisation=world.organisation, membership=membership, statuses=statuses)
    assert "2 corrective actions overdue" in [task.label for task in today.tasks]


def test_the_manuals_change_check_compiled_once_finds_each_organisations_own_time(world):
    CourseFactory(organisation=world.organisation)
    first = programme_changed_at(organisation=world.organisation)
    CourseFactory(organisation=world.other_organisation)
    for organisation in (world.organisation, world.other_organisation):
        row = _programme_changed_query(organisation.pk).first()
        expected = max(value for value in row.values() if value is not None)
        assert programme_changed_at(organisation=organisation) == expected
        assert isinstance(expected, datetime.datetime) and timezone.is_aware(expected)
    # The other organisation's change is not ours.
    assert programme_changed_at(organisation=world.organisation) == first
    assert programme_changed_at(organisation=world.other_organisation) > first


# The overview's ceiling per role with every figure present (bench/README.md, "Page cost").
# The compliance manager's includes the getting-started progress (9 queries until it is done).
OVERVIEW_QUERIES = {"manager": 43, "executive": 34, "auditor": 35, "staff": 16}


@pytest.mark.parametrize("persona", sorted(OVERVIEW_QUERIES))
def test_the_overview_stays_under_its_query_ceiling(world, persona, django_assert_max_num_queries):
    _busy(world)
    client = world.client(persona)
    client.get(reverse("icp:overview"))  # the first visit stores the organisation in the session
    with django_assert_max_num_queries(OVERVIEW_QUERIES[persona]):
        assert client.get(reverse("icp:overview")).status_code == 200
