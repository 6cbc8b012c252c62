"""Runs the permission table (see tests/routes.py) and proves it covers every URL."""

import hashlib
import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import PERSONA_ROLES, PERSONAS
from tests.routes import OUTSIDER_ROLES

# URL names that are not ours to check: Django's admin (superusers only, tested separately),
# the language switcher and DRF/spectacular's own plumbing.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language"}


def _collect_routes():
    routes = []
    for path in sorted(Path(__file__).parent.glob("*/routes*.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        routes.extend(module.ROUTES)
    return routes


ROUTES = _collect_routes()


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_rows_in_the_permission_table():
    covered = {route.name for route in ROUTES}
    missing = sorted(set(_url_names()) - covered - EXCLUDED_NAMES)
    assert not missing, f"URL names without permission-table rows: {missing}"


def test_every_row_names_every_persona():
    for route in ROUTES:
        assert set(PERSONAS) <= set(route.expected) <= {*PERSONAS, *OUTSIDER_ROLES}, route.id


def _add_outsider(world, persona: str) -> None:
    """A member of the other organisation with the role of `persona` (e.g. its auditor)."""
    world.users[persona] = MembershipFactory(
        organisation=world.other_organisation,
        role=PERSONA_ROLES[OUTSIDER_ROLES[persona]],
        user=UserFactory(email=f"{persona}@other.test"),
    ).user


def _database_fingerprint() -> str:
    """A digest of every row of every table but the sessions: equal digests, nothing changed."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table == "django_session":
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest.update(table.encode())
            digest.update("\n".join(rows).encode())
    return digest.hexdigest()


OUTSIDERS = ["outsider", *OUTSIDER_ROLES]


@pytest.mark.parametrize("persona", [*PERSONAS, *OUTSIDER_ROLES])
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_permission_table(route, persona, world, reference):
    if persona in OUTSIDER_ROLES:
        _add_outsider(world, persona)
    args = route.args(world) if route.args else []
    url = reverse(route.name, args=args)
    client = world.client(persona)
    # An outsider's POST on another organisation's record must leave every row as it was.
    guard = route.method == "post" and route.is_object_route and persona in OUTSIDERS
    before = _database_fingerprint() if guard else None
    if route.method == "post":
        response = client.post(url, route.data(world) if route.data else {})
    else:
        response = client.get(url)
    expected = route.statuses_for(persona)
    assert response.status_code in expected, (
        f"{route.method.upper()} {url} as {persona}: "
        f"got {response.status_code}, expected {' or '.join(map(str, sorted(expected)))}"
    )
    if guard:
        assert _database_fingerprint() == before, f"POST {url} as {persona} changed the database"
    if persona == "anonymous" and response.status_code == 302 and route.method == "get":
        assert response.url.startswith(reverse("accounts:login"))
