"""The event log's head is anchored outside the database (issue #18, #13)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from records.models import ChainHead, EventLogEntry
from records.services.eventlog import event_log_seal, event_log_verify
from tests.records.test_eventlog import _append, _tamper

pytestmark = pytest.mark.django_db


def _rewrite_and_rehash(world, entries, index):
    """Change one entry and recompute every later hash and the head, as an insider could."""
    previous = entries[index - 1].hash
    for entry in entries[index:]:
        entry.refresh_from_db()
        if entry == entries[index]:
            entry.object_repr = "PO-REWRITTEN"
        entry.prev_hash = previous
        entry.hash = entry.compute_hash()
        _tamper(entry, object_repr=entry.object_repr, prev_hash=entry.prev_hash, hash=entry.hash)
        previous = entry.hash
    ChainHead.objects.filter(organisation=world.organisation).update(hash=previous)


def test_without_a_seal_a_rehashed_rewrite_passes_with_one_it_does_not(world):
    entries = _append(world, 5)
    event_log_seal(organisation=world.organisation)
    assert event_log_verify(organisation=world.organisation).ok
    _rewrite_and_rehash(world, entries, 2)
    result = event_log_verify(organisation=world.organisation)
    assert not result.ok
    assert result.first_broken == 5
    assert "sealed" in result.reason


def test_cutting_the_tail_and_rewinding_the_head_is_caught(world):
    entries = _append(world, 5)
    call_command("seal_event_log")
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {EventLogEntry._meta.db_table} WHERE id IN (%s, %s)",
            [entries[3].pk, entries[4].pk],
        )
    ChainHead.objects.filter(organisation=world.organisation).update(
        sequence=3, hash=entries[2].hash
    )
    result = event_log_verify(organisation=world.organisation)
    assert not result.ok
    assert "removed from the end" in result.reason


def test_a_checkpoint_signed_with_another_key_is_refused(world, settings):
    _append(world, 2)
    event_log_seal(organisation=world.organisation)
    settings.EVENT_LOG_KEY = "another key entirely"
    result = event_log_verify(organisation=world.organisation)
    assert not result.ok
    assert "not signed with this key" in result.reason


def test_entries_after_the_seal_still_verify_and_a_broken_chain_is_not_sealed(world):
    entries = _append(world, 3)
    event_log_seal(organisation=world.organisation)
    _append(world, 2)
    assert event_log_verify(organisation=world.organisation).ok
    _tamper(entries[0], object_repr="changed")
    with pytest.raises(CommandError):
        call_command("seal_event_log", organisation="acme")


def test_the_periodic_task_seals_every_sound_chain_and_reports_a_broken_one(world, settings):
    """Beat runs `records.seal_event_log` (hourly by default); a broken chain is left unsealed."""
    from config.celery import app as celery_app
    from records.services.eventlog import _checkpoint_read
    from records.tasks import seal_event_log_task

    schedule = settings.CELERY_BEAT_SCHEDULE["records-seal-event-log"]
    assert schedule["task"] == "records.seal_event_log" in celery_app.tasks
    assert 0 < schedule["schedule"] <= 24 * 60 * 60

    entries = _append(world, 4)
    result = seal_event_log_task.apply().get()
    assert result["sealed"][world.organisation.slug] == 4 and result["refused"] == []
    assert _checkpoint_read(world.organisation)["sequence"] == 4
    # From now on, a rewrite that re-hashes the rest is caught.
    _rewrite_and_rehash(world, entries, 1)
    assert not event_log_verify(organisation=world.organisation).ok

    # The rewritten chain is refused, not sealed over; the other organisation is still sealed.
    event_log_seal(organisation=world.other_organisation)
    result = seal_event_log_task.apply().get()
    assert result["refused"] == [world.organisation.slug]
    assert world.other_organisation.slug in result["sealed"]
    assert _checkpoint_read(world.organisation)["sequence"] == 4
