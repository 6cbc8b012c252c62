"""One job through the real Redis broker and a real Celery worker (CI's PostgreSQL run)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from config.celery import app as celery_app
from core.jobs import job_enqueue
from core.models import Job
from tests.conftest import REQUIRE_SERVICES


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_job_goes_through_the_broker_to_a_worker_and_back(organisation):
    if not settings.REDIS_URL:
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL is not set: no real broker to test against")
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=["default"]):
            job = job_enqueue(kind="tests.echo", organisation=organisation, params={"value": 42})
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.is_finished:
                    break
                time.sleep(0.2)
    finally:
        celery_app.conf.task_always_eager = True
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result == {"echo": 42}
