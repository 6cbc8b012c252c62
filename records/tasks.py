"""Celery beat tasks of the records app (scheduled in config/settings.py CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from accounts.models import Organisation

from .services.capture import database_changes_reconcile
from .services.eventlog import event_log_seal_all
from .services.reminders import reminders_run
from .services.retention import retention_refresh

logger = logging.getLogger(__name__)


@shared_task(
    name="records.daily",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=30 * 60,
    time_limit=31 * 60,
)
def records_daily() -> dict:
    """Every morning: bring the retention index up to date (dates pass), then send reminders.

    Both steps are idempotent, so a repeated or redelivered run sends nothing twice.
    """
    refreshed = 0
    for organisation in Organisation.objects.filter(is_active=True):
        refreshed += retention_refresh(organisation=organisation)
    summary = reminders_run()
    logger.info(
        "records.daily retention_rows=%s notifications=%s emails=%s",
        refreshed,
        summary.notifications,
        summary.emails,
    )
    return {
        "retention_rows": refreshed,
        "notifications": summary.notifications,
        "emails": summary.emails,
    }


@shared_task(
    name="records.seal_event_log",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
)
def seal_event_log_task() -> dict:
    """Every hour (beat): verify and seal each organisation's event log (see `seal_event_log`).

    A broken chain is not sealed and is logged as an error, for the operator's monitoring.
    """
    run = event_log_seal_all()
    for organisation, reason in run.refused:
        logger.error("event log of %s is broken, not sealed: %s", organisation.slug, reason)
    logger.info("records.seal_event_log sealed=%s refused=%s", len(run.sealed), len(run.refused))
    return {
        "sealed": {organisation.slug: sequence for organisation, sequence in run.sealed},
        "refused": [organisation.slug for organisation, _reason in run.refused],
    }


@shared_task(
    name="records.reconcile_database_changes",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=4 * 60,
    time_limit=5 * 60,
)
def reconcile_database_changes_task() -> dict:
    """Every few minutes (beat): log the changes made directly in the database, outside the
    application, that the capture triggers saw (records/services/capture.py)."""
    run = database_changes_reconcile()
    if run.logged:
        logger.warning(
            "records.reconcile_database_changes logged=%s outside the application", run.logged
        )
    logger.info(
        "records.reconcile_database_changes logged=%s accounted=%s skipped=%s",
        run.logged,
        run.accounted,
        run.skipped,
    )
    return {"logged": run.logged, "accounted": run.accounted, "skipped": run.skipped}
