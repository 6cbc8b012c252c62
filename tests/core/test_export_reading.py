"""Exports read as the pages do, never as machine values: a Chinese reader's CSV says 是/否, not
True/False, and a time is local time to the minute (2026-12-08 11:00), not UTC with seconds and
microseconds; an XLSX keeps real booleans and dates, in local time, shown to the minute, on a
sheet named in the reader's language. The event log alone writes raw codes and UTC times (its
hash chain is re-checked from them)."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.exports import csv_response, csv_value, local_minute, sheet_title_clean, xlsx_response
from icp.models import Incident
from records.models import Document, RetainedRecord
from tests.core.test_exports import FUNCTION_EXPORTERS, LIST_EXPORTERS, MEMBERS, _route_for
from tests.downloads import close_download
from tests.icp.factories_emergency import IncidentFactory
from tests.icp.factories_organisation import PositionFactory
from tests.icp.factories_policy import PolicyVersionFactory
from tests.icp.factories_training import CourseFactory, TrainingSessionFactory
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db

# 2026-12-08 03:00:25.544849 UTC is 11:00 in Beijing.
AT = datetime.datetime(2026, 12, 8, 3, 0, 25, 544849, tzinfo=datetime.UTC)
AT_LOCAL = datetime.datetime(2026, 12, 8, 11, 0)
# The event log keeps raw codes and UTC ISO times on purpose (its hash chain is re-checked).
RAW_BY_DESIGN = {"records:event_log"}
# A time with seconds (or microseconds), or in UTC, or ISO with a T: what a machine writes.
MACHINE_TIME = re.compile(r"\d{1,2}:\d{2}:\d{2}|[+-]\d{2}:\d{2}$|\bUTC\b|\d{4}-\d{2}-\d{2}T\d")


@pytest.mark.parametrize(("language", "yes", "no"), [("zh-hans", "是", "否"), ("en", "Yes", "No")])
def test_a_boolean_reads_yes_or_no_in_the_readers_language(language, yes, no):
    with translation.override(language):
        assert csv_value(True) == yes
        assert csv_value(False) == no


def test_a_time_reads_as_local_time_to_the_minute():
    assert csv_value(AT) == "2026-12-08 11:00"
    assert local_minute(AT) == AT_LOCAL
    assert csv_value(datetime.datetime(2026, 12, 8, 11, 0, 59)) == "2026-12-08 11:00"  # local
    assert csv_value(datetime.date(2026, 12, 8)) == datetime.date(2026, 12, 8)
    assert [csv_value(value) for value in (0, 1, 1.5, "True", "")] == [0, 1, 1.5, "True", ""]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_csv_helper_writes_what_a_person_reads():
    with translation.override("zh-hans"):
        response = csv_response([["a", "b", "c"], [True, False, AT], ["=1", 2, None]], filename="x")
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert rows == [["a", "b", "c"], ["是", "否", "2026-12-08 11:00"], ["'=1", "2", ""]]


def test_the_xlsx_helper_keeps_types_in_local_time_shown_to_the_minute():
    response = xlsx_response([["a", "b"], [True, AT], [False, "=1"]], filename="x", sheet_title="T")
    sheet = load_workbook(io.BytesIO(_body(response))).active
    close_download(response)
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["a", "b"], [True, AT_LOCAL], [False, "'=1"],
    ]  # fmt: skip
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"


def test_a_sheet_title_drops_what_a_sheet_name_cannot_hold():
    assert sheet_title_clean("Risks: 2026/Q1 [draft]?") == "Risks  2026 Q1  draft"
    assert len(sheet_title_clean("x" * 40)) == 31
    assert sheet_title_clean("") == "Sheet"


@pytest.fixture
def records(world):
    """Rows in the exports the review found machine values in: booleans and times."""
    organisation = world.organisation
    PartyFactory(organisation=organisation, is_active=True, last_screened_at=AT)
    PartyFactory(organisation=organisation, is_active=False)
    course = CourseFactory(organisation=organisation, is_active=True)
    TrainingSessionFactory(course=course, is_online=True)
    TrainingSessionFactory(course=course, is_online=False)
    PositionFactory(
        body__organisation=organisation,
        may_stop_exports=True,
        may_consult_authority=False,
        is_active=True,
    )
    PolicyVersionFactory(organisation=organisation, published=True)
    IncidentFactory(organisation=organisation, closed_at=AT)
    RetainedRecord.objects.create(
        organisation=organisation,
        content_type=ContentType.objects.get_for_model(Incident),
        object_id="90001",
        record_type="icp.incident",
        title="EUC.pdf",
        document_type=Document.Type.END_USER_CERTIFICATE,
        created_at=AT,
        ended_at=AT,
        start_event="ended",
        years=5,
    )


def _download(world, name: str, extension: str, language: str):
    route = _route_for(name)
    persona = next(p for p in MEMBERS if route.expected[p] == 200)
    url = reverse(name, args=route.args(world) if route.args else [])
    response = world.client(persona).get(url, {"export": extension}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (name, persona)
    body = _body(response)
    close_download(response)
    if extension == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig")))), None
    workbook = load_workbook(io.BytesIO(body))
    return [list(row) for row in workbook.active.iter_rows()], workbook.active.title


def _assert_reads_as_text_for_people(rows, name):
    for row in rows:
        for value in row:
            assert value not in ("True", "False"), (name, row)
            if name not in RAW_BY_DESIGN:
                assert not MACHINE_TIME.search(value), (name, value)


@pytest.mark.parametrize("name", sorted(set(LIST_EXPORTERS) | set(FUNCTION_EXPORTERS)))
def test_every_csv_export_reads_as_words_and_local_minutes(name, world, reference, records):
    """Every export, for a Chinese reader: no True/False, no time with seconds or in UTC."""
    if name in FUNCTION_EXPORTERS:
        FUNCTION_EXPORTERS[name](world)
    rows, _title = _download(world, name, "csv", "zh-hans")
    _assert_reads_as_text_for_people(rows, name)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", sorted(set(LIST_EXPORTERS) - RAW_BY_DESIGN))
def test_every_list_export_writes_a_boolean_and_a_time_for_the_reader(
    name, language, world, reference, monkeypatch
):
    """Each list export, given a boolean and a UTC time, writes them as its reader reads them
    (whatever its own rows hold): the conversion is the export helper's, not a column's."""
    view_class = LIST_EXPORTERS[name]
    monkeypatch.setattr(
        view_class,
        "export_columns",
        (*view_class.export_columns, ("yes", lambda obj: True), ("at", lambda obj: AT)),
    )
    rows, _title = _download(world, name, "csv", language)
    yes = {"zh-hans": "是", "en": "Yes"}[language]
    assert all(row[-2:] == [yes, "2026-12-08 11:00"] for row in rows[1:]), (name, rows[1:2])
    _assert_reads_as_text_for_people(rows, name)
    cells, title = _download(world, name, "xlsx", language)
    assert all(
        row[-2].value is True and row[-1].value == AT_LOCAL and "s" not in row[-1].number_format
        for row in cells[1:]
    ), name
    assert title != view_class.export_filename[:31], (name, title)


def test_the_named_columns_read_for_a_chinese_reader(world, records):
    client = world.client("manager")
    cases = {
        "parties:list": ("是", "否", "2026-12-08 11:00"),
        "icp:course_list": ("是",),
        "icp:session_list": ("是", "否"),
        "icp:position_list": ("是", "否"),
        "icp:policy_version_list": (),
        "icp:incident_list": ("2026-12-08 11:00",),
        "records:retained_list": ("最终用户和最终用途证明", "2026-12-08 11:00"),
    }
    for name, expected in cases.items():
        response = client.get(reverse(name), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, name
        rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
        cells = {value for row in rows[1:] for value in row}
        assert len(rows) > 1, name
        assert set(expected) <= cells, (name, rows)
        _assert_reads_as_text_for_people(rows, name)
        assert "end_user_certificate" not in cells, name


def test_an_xlsx_export_is_a_sheet_named_in_the_readers_language(world, records):
    client = world.client("manager")
    for language, title in (("zh-hans", "交易方"), ("en", "Parties")):
        response = client.get(
            reverse("parties:list"), {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE=language
        )
        sheet = load_workbook(io.BytesIO(_body(response))).active
        close_download(response)
        assert sheet.title == title
        cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
        # Booleans stay booleans; the time is Beijing time (Excel cannot hold a time zone).
        assert {cell.value for cell in cells if isinstance(cell.value, bool)} == {True, False}
        assert [cell.value for cell in cells if cell.is_date] == [AT_LOCAL]
