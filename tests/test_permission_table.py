"""Runs the permission table (see tests/routes.py) and proves it covers every URL."""

import importlib
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from tests.conftest import PERSONAS

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
        assert set(route.expected) == set(PERSONAS), route.id


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_permission_table(route, persona, world, reference):
    args = route.args(world) if route.args else []
    url = reverse(route.name, args=args)
    client = world.client(persona)
    if route.method == "post":
        response = client.post(url, route.data(world) if route.data else {})
    else:
        response = client.get(url)
    assert response.status_code == route.expected[persona], (
        f"{route.method.upper()} {url} as {persona}: "
        f"got {response.status_code}, expected {route.expected[persona]}"
    )
    if persona == "anonymous" and response.status_code == 302 and route.method == "get":
        assert response.url.startswith(reverse("accounts:login"))
