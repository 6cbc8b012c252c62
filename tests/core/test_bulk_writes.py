"""Bulk writes of regulated records reach the history and the event log, or are refused (#18).

`QuerySet.update()`, `bulk_update()` and `bulk_create()` send no model signal. For every model of
the registry (records.regulated.regulated_models) the guard in core/guards.py writes a history
row per changed or created record, which simple-history's signal logs (records/bulk.py).
"""

import pytest
from django.db import transaction
from django.db.models import CharField, QuerySet, TextField

from core.guards import GuardError, _guarded_bulk_create, _guarded_update, bulk_guarded_models
from records.models import EventLogEntry
from records.regulated import has_history, regulated_models
from records.signals import organisation_id_of

pytestmark = pytest.mark.django_db

REGULATED = regulated_models()


def _label(model):
    return model._meta.label


def test_the_registry_holds_the_logged_models():
    labels = {_label(model) for model in REGULATED}
    assert {"trade.Transaction", "icp.PolicyVersion", "audits.ChecklistItem"} <= labels
    assert {"screening.Screening", "screening.Adjudication", "screening.ListVersion"} <= labels
    assert "records.EventLogEntry" not in labels  # the log itself is not a logged record


@pytest.mark.parametrize("model", REGULATED, ids=_label)
def test_every_door_of_every_regulated_model_goes_through_the_guard(model):
    """The default manager, the base manager and every reverse relation's manager."""
    assert model in bulk_guarded_models()
    assert QuerySet.update is _guarded_update and QuerySet.bulk_create is _guarded_bulk_create
    querysets = [model._default_manager.all(), model._base_manager.all()]
    for manager in model._meta.managers:
        querysets.append(manager.all())
    for queryset in querysets:
        # A custom QuerySet may add its own refusal in front, never a plain write around it.
        for name, guarded in (("update", _guarded_update), ("bulk_create", _guarded_bulk_create)):
            method = getattr(type(queryset), name)
            assert method is guarded or _overrides_with_super_or_refusal(type(queryset), name), (
                f"{_label(model)}: {type(queryset).__name__}.{name} bypasses the guard"
            )


def _overrides_with_super_or_refusal(queryset_class, name) -> bool:
    import inspect

    source = inspect.getsource(getattr(queryset_class, name))
    return "super()." + name in source or "raise " in source


def _editable_text_field(model):
    """A watched free-text field of `model` a test may change (no choices, not unique)."""
    from core.guards import watched_attnames

    unique = {
        name for constraint in model._meta.constraints for name in getattr(constraint, "fields", ())
    }
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, CharField | TextField)
            and not field.choices
            and not field.unique
            and field.name not in unique
            and field.attname in watched_attnames(model)
            and (field.max_length or 100) >= 20
        ):
            return field
    return None


def test_every_regulated_model_of_the_demo_logs_or_refuses_its_bulk_update(db):
    """Seeded demo: one record of each regulated model changed by update() and bulk_update()."""
    from django.core.management import call_command

    call_command("seed_demo", password="a-long-demo-password")
    exercised, refused, problems = [], [], []
    for model in REGULATED:
        instance = model._base_manager.order_by("pk").first()
        field = _editable_text_field(model)
        if instance is None or field is None:
            continue
        label = _label(model)
        for door in ("update", "bulk_update", "base_manager"):
            value = f"bulk {door} {getattr(instance, field.attname) or ''}"[: field.max_length]
            before = EventLogEntry.objects.count()
            if has_history(model):
                history = getattr(model, model._meta.simple_history_manager_attribute)
                histories = history.filter(**{model._meta.pk.attname: instance.pk}).count()
            try:
                with transaction.atomic():
                    if door == "update":
                        model._default_manager.filter(pk=instance.pk).update(**{field.name: value})
                    elif door == "bulk_update":
                        setattr(instance, field.attname, value)
                        model._default_manager.bulk_update([instance], [field.name])
                    else:
                        model._base_manager.filter(pk=instance.pk).update(**{field.name: value})
            except Exception as error:  # a write-once record refuses, and nothing changes
                if has_history(model):
                    problems.append((label, door, f"refused: {error!r}"))
                else:
                    refused.append(label)
                    stored = model._base_manager.get(pk=instance.pk)
                    if getattr(stored, field.attname) == value:
                        problems.append((label, door, "refused but changed"))
                continue
            if not has_history(model):
                problems.append((label, door, "a write-once record was changed in bulk"))
                continue
            history = getattr(model, model._meta.simple_history_manager_attribute)
            if history.filter(**{model._meta.pk.attname: instance.pk}).count() != histories + 1:
                problems.append((label, door, "no history row"))
            entries = list(EventLogEntry.objects.order_by("pk")[before:])
            if organisation_id_of(instance) is None:  # installation-wide: history only
                if entries:
                    problems.append((label, door, "logged in some organisation's chain"))
                continue
            if len(entries) != 1:
                problems.append((label, door, f"{len(entries)} log entries"))
                continue
            entry = entries[0]
            if (
                entry.record_type != model._meta.label_lower
                or entry.object_id != str(instance.pk)
                or field.name not in entry.details.get("fields", [])
            ):
                problems.append((label, door, (entry.record_type, entry.object_id, entry.details)))
            instance.refresh_from_db()
        exercised.append(label)
    assert not problems, problems
    # The demo has data for most of them: the loop above is not empty by accident.
    assert len(exercised) >= 20, exercised
    assert "screening.Screening" in refused


def test_a_bulk_update_writes_history_and_one_log_entry_per_changed_record(world):
    from icp.models import Incident
    from tests.icp.factories_emergency import IncidentFactory

    incidents = [IncidentFactory(organisation=world.organisation) for _ in range(3)]
    before = EventLogEntry.objects.count()
    histories = Incident.history.count()
    # One of the three already has the new title: no change, nothing recorded for it.
    Incident.objects.filter(pk=incidents[0].pk).update(title="同一标题")
    before, histories = EventLogEntry.objects.count(), Incident.history.count()
    changed = Incident.objects.filter(organisation=world.organisation).update(title="同一标题")
    assert changed == 3
    assert Incident.history.count() == histories + 2
    entries = list(EventLogEntry.objects.order_by("pk")[before:])
    assert [(e.action, e.details["fields"]) for e in entries] == [("change", ["title"])] * 2
    assert {e.object_id for e in entries} == {str(i.pk) for i in incidents[1:]}


def test_a_bulk_update_of_a_cache_the_history_leaves_out_records_nothing(world):
    from icp.models import Incident
    from tests.icp.factories_emergency import IncidentFactory

    incident = IncidentFactory(organisation=world.organisation)
    before = EventLogEntry.objects.count()
    Incident.objects.filter(pk=incident.pk).update(receipt_hash="0" * 64)
    assert EventLogEntry.objects.count() == before


def test_a_thousand_records_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    """History rows and log entries are written in batches, not one append per record (records
    that the retention index lists, such as incidents, are indexed one by one on top)."""
    from icp.models import IncidentAction
    from records.services.eventlog import event_log_verify
    from tests.icp.factories_emergency import IncidentActionFactory, IncidentFactory

    incident = IncidentFactory(organisation=world.organisation)
    built = [
        IncidentActionFactory.build(incident=incident, owner=world.users["manager"])
        for _ in range(1000)
    ]
    before = EventLogEntry.objects.count()
    with django_assert_max_num_queries(40):
        created = IncidentAction.objects.bulk_create(built, batch_size=500)
    with django_assert_max_num_queries(40):
        IncidentAction.objects.filter(pk__in=[a.pk for a in created]).update(description="批量")
    assert EventLogEntry.objects.count() == before + 2000
    assert event_log_verify(organisation=world.organisation).ok


def test_a_bulk_create_records_each_creation(world):
    from icp.models import Incident
    from tests.icp.factories_emergency import IncidentFactory

    before = EventLogEntry.objects.count()
    built = [
        IncidentFactory.build(organisation=world.organisation, reported_by=world.users["manager"])
        for _ in range(2)
    ]
    created = Incident.objects.bulk_create(built)
    entries = list(EventLogEntry.objects.order_by("pk")[before:])
    assert [(e.action, e.object_id) for e in entries] == [("create", str(i.pk)) for i in created]
    assert all(Incident.history.filter(id=i.pk, history_type="+").exists() for i in created)


def test_a_bulk_create_that_cannot_name_its_rows_is_refused(world):
    from icp.models import Incident
    from tests.icp.factories_emergency import IncidentFactory

    built = [
        IncidentFactory.build(organisation=world.organisation, reported_by=world.users["manager"])
    ]
    with pytest.raises(GuardError):
        Incident.objects.bulk_create(built, ignore_conflicts=True)
    assert not Incident.objects.exists()


def test_a_failing_log_rolls_the_bulk_update_back(world, monkeypatch):
    from icp.models import Incident
    from records.services import eventlog
    from tests.icp.factories_emergency import IncidentFactory

    incident = IncidentFactory(organisation=world.organisation, title="before")

    def broken(**kwargs):
        raise RuntimeError("the log is unavailable")

    monkeypatch.setattr(eventlog, "event_log_append_many", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(title="after")
    incident.refresh_from_db()
    assert incident.title == "before"
