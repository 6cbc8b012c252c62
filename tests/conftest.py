"""Shared fixtures: personas of one organisation ("acme") and an outsider from another."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.roles import Role
from config.celery import app as celery_app
from core.jobs import job_handler
from reference.selectors import current_framework
from reference.services import reference_framework_load
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@job_handler("tests.echo", title="Echo (test job)")
def echo_job(job, progress):
    """A job kind for tests: reports progress, can be told to fail."""
    progress(50, "halfway")
    if job.params.get("fail"):
        raise ValueError("asked to fail")
    return {"result": {"echo": job.params.get("value")}, "result_url": "/"}


PERSONA_ROLES = {
    "manager": Role.COMPLIANCE_MANAGER,
    "auditor": Role.AUDITOR,
    "executive": Role.MANAGEMENT,
    "staff": Role.STAFF,
}
PERSONAS = ["anonymous", *PERSONA_ROLES, "outsider"]


@dataclass
class World:
    organisation: object
    other_organisation: object
    users: dict

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


@pytest.fixture(autouse=True)
def _own_search_results(monkeypatch):
    """Search results kept for the day (screening.services.search_cache) are this test's own:
    database ids restart in every test database, and the cache (Redis on the PostgreSQL run)
    outlives a test."""
    import uuid

    from screening.services import search_cache

    namespace = uuid.uuid4().hex
    monkeypatch.setattr(search_cache, "engine_fingerprint", lambda: namespace)


@pytest.fixture(autouse=True)
def _no_request_left_open():
    """A streamed download (CSV, XLSX) a test leaves unread and unclosed never sends
    request_finished: the next test must not start as if inside a web request."""
    yield
    from screening.services import index

    index.request_finished()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path  # seed_demo writes its credentials file there, not in var/
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        slug="acme", name_zh="艾克米精密机械有限公司", name_en="Acme Precision"
    )


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(slug="other", name_zh="其他企业有限公司", name_en="Other Exporter")


@pytest.fixture
def world(organisation, other_organisation) -> World:
    users = {
        persona: MembershipFactory(
            organisation=organisation, role=role, user=UserFactory(email=f"{persona}@acme.test")
        ).user
        for persona, role in PERSONA_ROLES.items()
    }
    users["outsider"] = MembershipFactory(
        organisation=other_organisation,
        role=Role.COMPLIANCE_MANAGER,
        user=UserFactory(email="manager@other.test"),
    ).user
    return World(organisation=organisation, other_organisation=other_organisation, users=users)


@pytest.fixture
def manager(world):
    return world.users["manager"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference library once per test database, not once per test."""
    with django_db_blocker.unblock():
        reference_framework_load()


@pytest.fixture
def reference(db):
    # Transactional tests flush the database, so load again when it is gone.
    return current_framework() or reference_framework_load()
