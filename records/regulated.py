"""The registry of regulated records: every model whose changes must reach the event log.

A model is regulated when it belongs to an app of `LOGGED_APPS` and keeps a simple-history
history (`history = HistoricalRecords()`; each history row is logged, records/signals.py), or
when it is written once and logged on insert (`WRITE_LOGGED`: screenings, hit decisions, list
imports). New regulated models register themselves by doing the same; nothing to list here.
"""

from django.apps import apps


def has_history(model) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def regulated_models() -> list[type]:
    from records.signals import LOGGED_APPS, WRITE_LOGGED

    write_logged = {apps.get_model(label) for label in WRITE_LOGGED}
    historied = {
        model
        for model in apps.get_models()
        if model._meta.app_label in LOGGED_APPS and has_history(model)
    }
    return sorted(write_logged | historied, key=lambda model: model._meta.label)
