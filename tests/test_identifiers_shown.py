"""No page shows a person an internal identifier: an enum or stored code ("end_user_certificate",
"potential_match"), a model label ("icp.incident") or a machine time ("2026-12-08T03:00:00",
"+00:00", "UTC"). Every GET page of the permission table (tests/routes.py) is opened with its
records, as the first member role that may read it, and its visible text is scanned after the
names and texts people typed or imported are taken out (as the reader-script test does), but
not the stored keys (slug fields)."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tests.test_permission_table import ROUTES
from tests.test_reader_script import allow_list, strip_allowed, visible_text

pytestmark = pytest.mark.django_db

APPS = (
    "accounts|core|icp|trade|screening|audits|records|chambers|notices|onboarding|providers"
    "|reference|outreach|auth|contenttypes"
)
PATTERNS = {
    "code": re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])"),
    "model label": re.compile(rf"(?<![\w./@-])(?:{APPS})\.[a-z]+(?![\w./@-])"),
    # "Beijing time (UTC+8)" tells a person the zone; "03:00 UTC" is a machine's time.
    "machine time": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d|[+-]00:00\b|\bUTC\b(?![+-]\d)"),
}
# Pages that show a machine's view on purpose, each with its reason.
IMPORT_COLUMNS = "the import file's column names, which the user writes in the file's header row"
MACHINE_PAGES: dict[str, str] = {
    "parties:import": IMPORT_COLUMNS,
    "transactions:control_list_import": IMPORT_COLUMNS,
    "transactions:customs_catalogue_import": IMPORT_COLUMNS,
    "transactions:transaction_import": IMPORT_COLUMNS,
}
PERSONAS = ("manager", "auditor", "executive", "staff")
GET_ROUTES = [
    route
    for route in ROUTES
    if route.method == "get" and any(200 in route.statuses_for(p) for p in PERSONAS)
]


def _people_typed() -> list[str]:
    """The reader-script test's names and stored texts, less the stored keys (slug fields):
    those are identifiers even when a person typed them."""
    keys = set()
    for model in apps.get_models():
        slugs = [f.name for f in model._meta.concrete_fields if isinstance(f, models.SlugField)]
        if slugs:
            keys |= {value for row in model.objects.values_list(*slugs) for value in row}
    return [name for name in allow_list() if name not in keys]


def _found(text: str) -> dict[str, list[str]]:
    return {
        kind: sorted(set(found))[:8]
        for kind, pattern in PATTERNS.items()
        if (found := pattern.findall(text))
    }


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda route: route.id)
def test_no_page_shows_an_internal_identifier(route, world, reference):
    if route.name in MACHINE_PAGES:
        pytest.skip(MACHINE_PAGES[route.name])
    persona = next(p for p in PERSONAS if 200 in route.statuses_for(p))
    args = route.args(world) if route.args else []
    response = world.client(persona).get(
        reverse(route.name, args=args), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    text = strip_allowed(visible_text(response.content.decode()), _people_typed())
    assert not _found(text), (route.name, _found(text))
