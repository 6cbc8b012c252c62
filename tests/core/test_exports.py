"""Exports cannot carry formulas: every CSV/XLSX download goes through core/exports.py, which
writes formula-like text as text (CSV/formula injection)."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver
from openpyxl import load_workbook

from core.exports import XLSX_CONTENT_TYPE, neutralise, safe_row
from core.lists import ScopedListView
from tests.downloads import close_download
from tests.icp.factories_training import CourseFactory
from tests.screening.factories_parties import PartyFactory
from tests.test_permission_table import ROUTES
from trade.models import ControlListEntry, CustomsCatalogueEntry

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
NEUTRALISED = "'" + FORMULA
MEMBERS = ("manager", "auditor", "executive", "staff")

# Views that export a computed table (not a ScopedListView): URL name -> how to put a formula
# in what they export. A new function-based exporter must be added here (see the guard below).
FUNCTION_EXPORTERS = {
    "icp:training_matrix": lambda world: CourseFactory(
        organisation=world.organisation, topic_en=FORMULA
    ),
    "icp:training_overdue": lambda world: CourseFactory(
        organisation=world.organisation, topic_en=FORMULA
    ),
    "transactions:control_list": lambda world: ControlListEntry.objects.create(
        organisation=world.organisation, code="1C351", description_en=FORMULA
    ),
    "transactions:customs_catalogue": lambda world: CustomsCatalogueEntry.objects.create(
        hs_code="9031809090", description_en=FORMULA
    ),
}


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", FORMULA])
def test_formula_like_text_is_written_as_text(text):
    assert neutralise(text) == "'" + text


def test_other_values_are_written_as_they_are():
    day = datetime.date(2026, 1, 2)
    assert safe_row(["Acme", "", "a=b", -5, 1.5, True, day, None]) == [
        "Acme", "", "a=b", -5, 1.5, True, day, None,
    ]  # fmt: skip


def _url_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_patterns(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _list_exporters() -> dict:
    """URL name -> view class, for every list page that offers ?export=csv/xlsx."""
    found = {}
    for name, callback in _url_patterns():
        view_class = getattr(callback, "view_class", None)
        if view_class and issubclass(view_class, ScopedListView) and view_class.export_columns:
            found[name] = view_class
    return found


LIST_EXPORTERS = _list_exporters()


def test_export_views_are_found():
    # The discovery must not silently find nothing.
    assert {"parties:list", "records:event_log", "icp:incident_list"} <= set(LIST_EXPORTERS)


def test_no_spreadsheet_is_written_outside_the_export_helper():
    """Writing CSV or XLSX anywhere else would bypass the neutralisation."""
    root = Path(settings.BASE_DIR)
    writers = re.compile(r"csv\.writer|csv\.DictWriter|Workbook\(")
    allowed = {
        "core/exports.py",
        # The list-file template the demo seeds (machine-read by its own parser, never a download).
        "screening/adapters/icp_csv.py",
        # Import templates: our own column headings and a fixed example row, no stored data.
        "core/imports.py",
    }
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.split("/")[0] in {"tests", ".venv", "bench", "scripts"} or relative in allowed:
            continue
        if writers.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert not offenders, offenders


def test_every_page_that_answers_with_a_spreadsheet_is_checked(world, reference):
    """Asks every page for ?export=csv and ?export=xlsx: each one that answers with a
    spreadsheet must be one of the exporters the tests below check."""
    known = set(LIST_EXPORTERS) | set(FUNCTION_EXPORTERS)
    spreadsheets = ("text/csv", XLSX_CONTENT_TYPE)
    found = set()
    for route in ROUTES:
        persona = next((p for p in MEMBERS if route.expected[p] == 200), None)
        if route.method != "get" or persona is None:
            continue
        # Each row's records are made afresh and undone after, as in the permission table.
        with transaction.atomic():
            url = reverse(route.name, args=route.args(world) if route.args else [])
            for extension in ("csv", "xlsx"):
                response = world.client(persona).get(url, {"export": extension})
                if response.get("Content-Type", "").startswith(spreadsheets):
                    found.add(route.name)
                close_download(response)  # a streamed download ends its request when closed
            transaction.set_rollback(True)
    assert found, "no export found: the discovery is broken"
    assert found <= known, f"exports the tests do not check: {sorted(found - known)}"


def _route_for(name: str):
    return next(route for route in ROUTES if route.name == name and route.method == "get")


def _download(world, name: str, extension: str):
    route = _route_for(name)
    persona = next(p for p in MEMBERS if route.expected[p] == 200)
    url = reverse(name, args=route.args(world) if route.args else [])
    response = world.client(persona).get(url, {"export": extension})
    assert response.status_code == 200, (name, persona)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if extension == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(body)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (name, cell.coordinate, cell.value)
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _assert_no_formula(rows, name):
    for row in rows:
        for value in row:
            assert not (isinstance(value, str) and value.startswith("=")), (name, value)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("name", sorted(LIST_EXPORTERS))
def test_every_list_export_neutralises_formulas(name, extension, world, reference, monkeypatch):
    """Each list export, given a column whose header and cells are a formula, writes text."""
    view_class = LIST_EXPORTERS[name]
    monkeypatch.setattr(
        view_class,
        "export_columns",
        (*view_class.export_columns, (FORMULA, lambda obj: FORMULA)),
    )
    rows = _download(world, name, extension)
    assert rows[0][-1] == NEUTRALISED
    assert all(row[-1] == NEUTRALISED for row in rows[1:])
    _assert_no_formula(rows, name)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("name", sorted(FUNCTION_EXPORTERS))
def test_every_table_export_neutralises_formulas(name, extension, world, reference):
    FUNCTION_EXPORTERS[name](world)
    rows = _download(world, name, extension)
    cells = [value for row in rows for value in row if isinstance(value, str)]
    assert any(value.startswith(NEUTRALISED) for value in cells), name
    _assert_no_formula(rows, name)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_party_named_like_a_formula_is_exported_as_text(extension, world):
    PartyFactory(organisation=world.organisation, name=FORMULA)
    rows = _download(world, "parties:list", extension)
    assert NEUTRALISED in rows[1] and FORMULA not in rows[1]
    _assert_no_formula(rows, "parties:list")
