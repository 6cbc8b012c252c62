"""Celery application. Settings come from Django settings under the CELERY_ namespace."""

import gc
import logging
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("icp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def freeze_before_fork(**kwargs):
    """In the main process, before the pool forks: what it imported (the apps, the screening
    engine's dictionaries) is frozen out of the garbage collector, whose passes in a pool
    process would otherwise write to every page holding it and copy it into each process."""
    gc.freeze()


@worker_process_init.connect
def warm_up_pdf(**kwargs):
    """Each worker process loads the PDF fonts once, when it starts, not in its first job.

    Done in the child, after the fork: Pango starts threads, which must not cross a fork.
    """
    from core.pdf import pdf_warm_up

    try:
        seconds = pdf_warm_up()
    except Exception:  # an optimisation only: the first document then loads the fonts itself
        logger.exception("PDF warm-up failed")
        return
    logger.info("PDF fonts loaded in %.2f s", seconds)
