"""Celery application. Settings come from Django settings under the CELERY_ namespace."""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("icp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
