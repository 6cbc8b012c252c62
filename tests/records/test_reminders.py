"""Reminders: sources, the notification centre, per-member preferences, the daily digest."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from records.models import Notification, ReminderPreference
from records.services.reminders import preference_save, reminders_run
from records.tasks import records_daily
from tests.icp.factories_emergency import IncidentActionFactory, IncidentFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def overdue_action(world):
    incident = IncidentFactory(organisation=world.organisation, reference="INC-2026-007")
    return IncidentActionFactory(
        incident=incident,
        owner=world.users["staff"],
        description="Re-train the sales team on end-user checks",
        due_on=TODAY - datetime.timedelta(days=3),
    )


def test_an_overdue_action_reaches_its_owner_and_the_compliance_manager(world, overdue_action):
    summary = reminders_run(today=TODAY)
    owners = set(
        Notification.objects.filter(kind="corrective_action").values_list("user__email", flat=True)
    )
    assert owners == {"staff@acme.test", "manager@acme.test"}
    assert summary.emails >= 2
    notification = Notification.objects.get(user=world.users["staff"], kind="corrective_action")
    assert notification.url == overdue_action.incident.get_absolute_url()
    assert "INC-2026-007" in notification.title


def test_running_twice_a_day_sends_nothing_twice(world, overdue_action):
    first = reminders_run(today=TODAY)
    sent = len(mail.outbox)
    count = Notification.objects.count()
    second = reminders_run(today=TODAY)
    assert first.emails > 0 and sent == first.emails
    assert (second.notifications, second.emails) == (0, 0)
    assert len(mail.outbox) == sent and Notification.objects.count() == count


def test_the_next_day_only_new_states_are_notified(world, overdue_action):
    reminders_run(today=TODAY)
    before = len(mail.outbox)
    summary = reminders_run(today=TODAY + datetime.timedelta(days=1))
    assert summary.notifications == 0  # still the same overdue action: nothing new
    assert len(mail.outbox) == before


def test_a_member_can_turn_a_kind_off(world, overdue_action):
    preference_save(
        user=world.users["staff"],
        language="en",
        email_digest=True,
        disabled_kinds=["corrective_action"],
    )
    reminders_run(today=TODAY)
    assert not Notification.objects.filter(user=world.users["staff"]).exists()
    assert Notification.objects.filter(user=world.users["manager"]).exists()


def test_a_member_can_turn_the_email_off_and_keep_the_bell(world, overdue_action):
    preference_save(user=world.users["staff"], language="en", email_digest=False, disabled_kinds=[])
    reminders_run(today=TODAY)
    assert Notification.objects.filter(user=world.users["staff"]).exists()
    assert all("staff@acme.test" not in message.to for message in mail.outbox)


def test_the_digest_is_in_the_members_language(world, overdue_action):
    ReminderPreference.objects.create(user=world.users["staff"], language="zh-hans")
    ReminderPreference.objects.create(user=world.users["manager"], language="en")
    reminders_run(today=TODAY)
    by_user = {message.to[0]: message for message in mail.outbox}
    assert "Corrective action" in by_user["manager@acme.test"].body
    chinese = by_user["staff@acme.test"]
    assert "纠正措施" in chinese.body and "INC-2026-007" in chinese.body
    assert "[ICP]" in chinese.subject


def test_policy_unacknowledged_and_risk_assessment_reminders(world):
    from tests.icp.factories_policy import PolicyVersionFactory

    PolicyVersionFactory(
        organisation=world.organisation,
        created_by=world.users["manager"],
        published=True,
        review_due_date=TODAY - datetime.timedelta(days=1),
    )
    reminders_run(today=TODAY)
    kinds = set(
        Notification.objects.filter(user=world.users["staff"]).values_list("kind", flat=True)
    )
    assert "policy_acknowledgement" in kinds
    manager_kinds = set(
        Notification.objects.filter(user=world.users["manager"]).values_list("kind", flat=True)
    )
    assert {"policy_review", "risk_assessment"} <= manager_kinds


def test_the_daily_task_runs_through_celery(world, overdue_action):
    result = records_daily.delay().get()
    assert result["notifications"] >= 2


def test_notification_centre_bell_and_read(world, overdue_action):
    reminders_run(today=TODAY)
    client = world.client("staff")
    bell = client.get(reverse("records:notification_bell"))
    assert b'data-testid="bell-count"' in bell.content
    notification = Notification.objects.get(user=world.users["staff"], kind="corrective_action")
    response = client.post(reverse("records:notification_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.is_read
    # Another member's notification is not found.
    other = Notification.objects.filter(user=world.users["manager"]).first()
    assert client.post(reverse("records:notification_read", args=[other.pk])).status_code == 404


def test_preferences_page_saves_choices(world):
    client = world.client("auditor")
    response = client.post(
        reverse("records:preferences"),
        {"language": "en", "email_digest": "on", "enabled_kinds": ["audit", "retention"]},
    )
    assert response.status_code == 302
    preference = ReminderPreference.objects.get(user=world.users["auditor"])
    assert "audit" not in preference.disabled_kinds
    assert "corrective_action" in preference.disabled_kinds
