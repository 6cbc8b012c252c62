"""Large exports are sent as they are written: CSV rows stream from the queryset, an XLSX
workbook is written row by row to a temporary file and sent from it; the number of queries does
not grow with the rows (bench/export_memory.py measures the memory)."""

import csv
import io

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audits.models import CorrectiveAction
from core import exports
from core.lists import export_relations
from records.models import EventLogEntry
from tests.accounts.factories import MembershipFactory
from tests.downloads import close_download
from tests.icp.factories_emergency import IncidentFactory
from tests.icp.factories_risk import RiskAssessmentFactory, RiskFactorFactory
from tests.icp.factories_training import CourseFactory
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


def _read(response, extension: str) -> list[list]:
    body = b"".join(response.streaming_content)
    if extension == "csv":
        assert body.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return [list(row) for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)]


def _export(client, url: str, extension: str) -> tuple[int, list[list]]:
    """The queries of one export, counted until its last byte is sent, and its rows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"export": extension})
        assert response.status_code == 200
        rows = _read(response, extension)
        close_download(response)
    return len(queries), rows


def _parties(world, count):
    for _ in range(count):
        PartyFactory(organisation=world.organisation)


def _incidents(world, count):
    for _ in range(count):
        owner = MembershipFactory(organisation=world.organisation).user
        IncidentFactory(organisation=world.organisation, owner=owner)


@pytest.fixture
def risk_assessment(world):
    return RiskAssessmentFactory(organisation=world.organisation, assessor=world.users["manager"])


def _risks(world, count, assessment):
    courses = [CourseFactory(organisation=world.organisation) for _ in range(2)]
    for _ in range(count):
        owner = MembershipFactory(organisation=world.organisation).user
        RiskFactorFactory(assessment=assessment, owner=owner).courses.set(courses)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("exporter", ["parties", "incidents", "risks"])
def test_an_export_makes_as_many_queries_for_3n_rows_as_for_n(
    world, reference, risk_assessment, exporter, extension
):
    if exporter == "parties":
        url, add = reverse("parties:list"), _parties
    elif exporter == "incidents":
        url, add = reverse("icp:incident_list"), _incidents
    else:
        url = risk_assessment.get_absolute_url()

        def add(world, count):
            _risks(world, count, risk_assessment)

    client = world.client("manager")
    add(world, 5)
    _export(client, url, extension)  # the first request of a session caches what it looks up
    small, rows = _export(client, url, extension)
    assert len(rows) == 6
    add(world, 10)
    large, rows = _export(client, url, extension)
    assert len(rows) == 16
    assert large == small


def test_the_export_reads_the_relations_its_columns_walk_through():
    columns = (
        ("Audit", "finding.audit.reference"),
        ("Owner", "owner"),
        ("Computed", lambda action: action.pk),
        ("Status", "get_status_display"),
    )
    assert export_relations(CorrectiveAction, columns) == (
        ["finding__audit", "owner"],
        [],
    )
    # A key column needs no join.
    assert export_relations(EventLogEntry, (("User id", "actor_id"),)) == ([], [])


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exports_are_streamed_and_a_formula_stays_text(world, extension):
    PartyFactory(organisation=world.organisation, name=FORMULA)
    response = world.client("manager").get(reverse("parties:list"), {"export": extension})
    assert isinstance(response, StreamingHttpResponse | FileResponse)
    assert response.streaming
    rows = _read(response, extension)
    assert rows[1][0] == "'" + FORMULA


def test_a_large_workbook_is_written_to_disk_not_kept_in_memory(monkeypatch):
    monkeypatch.setattr(exports, "XLSX_SPOOL_BYTES", 4096)
    lines = [["n", "text"]] + [[n, f"合成 {n} {FORMULA}"] for n in range(3000)]
    response = exports.xlsx_response(lines, filename="big.xlsx", sheet_title="big")
    spool = response.file_to_stream
    assert spool._rolled  # on disk
    assert int(response["Content-Length"]) > 4096
    rows = _read(response, "xlsx")
    assert len(rows) == 3001 and rows[2999][1] == "合成 2998 " + FORMULA
    close_download(response)
    assert spool.closed


def test_a_small_workbook_stays_in_memory():
    response = exports.xlsx_response([["a"], ["b"]], filename="s.xlsx", sheet_title="s")
    assert not response.file_to_stream._rolled
    assert _read(response, "xlsx") == [["a"], ["b"]]


def test_a_list_that_forgets_to_join_still_exports_in_fixed_queries(world, monkeypatch):
    """The export joins the relations its columns name even when the page's queryset does not
    (here the incident list without its select_related("owner"))."""
    from icp.models import Incident
    from icp.views.emergency import IncidentListView

    monkeypatch.setattr(
        IncidentListView,
        "get_base_queryset",
        lambda self: Incident.objects.for_organisation(self.organisation),
    )
    client, url = world.client("manager"), reverse("icp:incident_list")
    _incidents(world, 5)
    _export(client, url, "csv")
    small, _rows = _export(client, url, "csv")
    _incidents(world, 10)
    large, rows = _export(client, url, "csv")
    assert len(rows) == 16 and large == small
