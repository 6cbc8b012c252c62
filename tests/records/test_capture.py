"""Changes made at the database, around the application, reach the event log (issue #13).

PostgreSQL only: the capture triggers (records/capture.py) exist there; SQLite is a documented
limitation (docs/operations.md). Transactional tests: the reconcile tells the application's
writes from others by their database transactions, which one wrapping test transaction would
merge.
"""

import pytest
from django.db import connection

from records.capture import capture_installed_tables, captured_tables
from records.models import DatabaseChange, EventLogEntry
from records.models.events import EventAction
from records.services.capture import database_changes_reconcile
from records.services.eventlog import event_log_seal_all, event_log_verify
from tests.conftest import REQUIRE_SERVICES
from tests.screening.factories_parties import PartyFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but the tests do not run on PostgreSQL")
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _entries(party):
    return EventLogEntry.objects.filter(
        record_type="screening.party", object_id=str(party.pk)
    ).order_by("sequence")


def test_every_regulated_table_has_the_trigger():
    tables = set(captured_tables())
    assert "trade_party" in tables and "trade_transaction" in tables
    assert tables <= capture_installed_tables()


def test_a_raw_update_is_logged_with_no_user_and_the_chain_verifies(organisation):
    party = PartyFactory(organisation=organisation, name="Alpha GmbH")
    first = database_changes_reconcile(settle_seconds=0)
    assert first.logged == 0 and first.accounted >= 1

    _raw("UPDATE trade_party SET name = %s WHERE id = %s", ["Beta GmbH", party.pk])
    run = database_changes_reconcile(settle_seconds=0)

    assert run.logged == 1
    entry = _entries(party).last()
    assert entry.action == EventAction.DATABASE_UPDATE
    assert entry.actor is None and entry.actor_label == ""
    assert entry.get_action_display() == (
        "Changed directly in the database, outside the application"
    )
    assert entry.details["fields"] == ["name"]
    assert entry.details["changes"]["name"] == {"before": "Alpha GmbH", "after": "Beta GmbH"}
    assert entry.object_repr.startswith("Beta GmbH")
    assert event_log_verify(organisation=organisation).ok
    assert not DatabaseChange.objects.exists()
    assert database_changes_reconcile(settle_seconds=0).logged == 0  # nothing twice


def test_an_application_save_is_logged_once(organisation):
    party = PartyFactory(organisation=organisation)
    party.name = "Renamed Ltd"
    party.save()  # autocommit: the row, then its history row and entry, on one connection

    run = database_changes_reconcile(settle_seconds=0)

    assert run.logged == 0 and run.accounted == 2
    assert list(_entries(party).values_list("action", flat=True)) == ["create", "change"]


def test_a_raw_change_next_to_an_application_save_is_still_logged(organisation):
    party = PartyFactory(organisation=organisation)
    _raw("UPDATE trade_party SET country = %s WHERE id = %s", ["FR", party.pk])
    party.refresh_from_db()
    party.name = "After the raw change"
    party.save()

    run = database_changes_reconcile(settle_seconds=0)

    assert run.logged == 1
    actions = list(_entries(party).values_list("action", flat=True))
    assert actions == ["create", "change", EventAction.DATABASE_UPDATE]


def test_a_raw_delete_is_logged_with_the_record_as_it_was(organisation):
    party = PartyFactory(organisation=organisation, name="Gone GmbH")
    _raw("DELETE FROM trade_party WHERE id = %s", [party.pk])

    assert database_changes_reconcile(settle_seconds=0).logged == 1
    entry = _entries(party).last()
    assert entry.action == EventAction.DATABASE_DELETE
    assert entry.details["before"]["name"] == "Gone GmbH"
    assert entry.object_repr == str(party)  # named as its earlier entries named it
    assert event_log_verify(organisation=organisation).ok


def test_a_recent_change_waits_for_the_next_run(organisation):
    party = PartyFactory(organisation=organisation)
    _raw("UPDATE trade_party SET name = %s WHERE id = %s", ["Later", party.pk])

    assert database_changes_reconcile().logged == 0  # younger than SETTLE_SECONDS
    assert DatabaseChange.objects.filter(operation="update").exists()
    assert database_changes_reconcile(settle_seconds=0).logged == 1


def test_the_seal_reconciles_first(organisation, settings, tmp_path):
    party = PartyFactory(organisation=organisation)
    database_changes_reconcile(settle_seconds=0)
    _raw("UPDATE trade_party SET name = %s WHERE id = %s", ["Sealed", party.pk])
    DatabaseChange.objects.update(at=DatabaseChange.objects.get().at.replace(year=2000))

    run = event_log_seal_all(organisations=[organisation])

    assert run.sealed == [(organisation, _entries(party).last().sequence)]
    assert _entries(party).last().action == EventAction.DATABASE_UPDATE


def test_a_change_of_a_cache_column_alone_is_not_captured(organisation):
    party = PartyFactory(organisation=organisation)
    database_changes_reconcile(settle_seconds=0)
    _raw("UPDATE trade_party SET last_screened_at = now() WHERE id = %s", [party.pk])

    assert not DatabaseChange.objects.exists()  # the history leaves it out: no change to log
