import json
from pathlib import Path

import pytest

from screening.adapters import PARSERS
from screening.adapters.base import content_sha256

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "list-formats" / "samples"
HEADER = (
    "list_code,entity_id,entity_type,name,aliases,country,address,identifiers,programme,"
    "listed_on,delisted_on,remarks,source_url\n"
)


def parse(file_format, content, code="DEMO-INHOUSE"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return PARSERS[file_format](content, list_code=code)


def test_icp_csv_sample_parses_with_aliases_in_any_script():
    result = parse("icp-csv", (SAMPLES / "icp-csv-sample.csv").read_bytes())
    assert result.errors == []
    by_id = {r.entity_id: r for r in result.records}
    assert by_id["INH-001"].name == "北方精密器材贸易有限公司"
    assert {"text": "North Precision Instruments Trading Co. Ltd.", "weak": False} in by_id[
        "INH-001"
    ].aliases
    assert by_id["INH-003"].entity_type == "individual"
    assert "Иван Петрович Сидоров" in [a["text"] for a in by_id["INH-003"].aliases]
    assert by_id["INH-002"].countries == ["AE"]


def test_icp_csv_accepts_gb18030_from_excel():
    text = HEADER + "L,1,entity,北方精密器材贸易有限公司,,CN,,,,,,,\n"
    result = PARSERS["icp-csv"](text.encode("gb18030"), list_code="L")
    assert result.errors == []
    assert result.records[0].name == "北方精密器材贸易有限公司"


@pytest.mark.parametrize(
    "row, fragment",
    [
        ("OTHER,1,entity,Name,,,,,,,,,", "is not the list being imported"),
        ("L,,entity,Name,,,,,,,,,", "entity id is missing"),
        ("L,1,entity,,,,,,,,,,", "name is missing"),
        ("L,1,company,Name,,,,,,,,,", "entity type 'company'"),
        ("L,1,entity,Name,,China,,,,,,,", "'China' is not an ISO 3166 alpha-2"),
        ("L,1,entity,Name,,,,,,2024/01/01,,,", "listed_on"),
        ("L,1,entity,Name,,,,,,2024-02-01,2024-01-01,,", "delisting date is before"),
        ("L,1,entity,Name,,,,,,,,,ftp://x", "must start with http"),
        ("L,1,entity,Name,,,,,,,,,,extra", "more cells than the header"),
        ("L,1,entity," + "N" * 501 + ",,,,,,,,,", "longer than 500"),
    ],
)
def test_icp_csv_reports_each_bad_row_kind_with_its_row_number(row, fragment):
    result = parse("icp-csv", HEADER + "L,0,entity,Good,,,,,,,,,\n" + row + "\n", code="L")
    assert result.errors, row
    assert all(error.row == 3 for error in result.errors)
    assert any(fragment in error.message for error in result.errors), [
        e.message for e in result.errors
    ]


def test_icp_csv_duplicate_id_names_the_first_row():
    result = parse("icp-csv", HEADER + "L,1,entity,A,,,,,,,,,\nL,1,entity,B,,,,,,,,,\n", code="L")
    assert [(e.row, "row 2" in e.message) for e in result.errors] == [(3, True)]


def test_icp_csv_missing_header_column_refuses_the_file():
    result = parse("icp-csv", "entity_id,name\n1,A\n", code="L")
    assert result.errors[0].row == 1 and "list_code" in result.errors[0].message


def test_csl_json_sample_maps_names_addresses_and_ids():
    result = parse("csl-json", (SAMPLES / "csl-json-sample.json").read_bytes(), code="US-CSL")
    assert result.errors == []
    by_id = {r.entity_id: r for r in result.records}
    sample = by_id["e6a1a8d6b0a4c5a1f3c1a9d6b2e4f8a0c1d2e3f4"]  # a fictitious party
    assert sample.name == "Shili Optoelectronics Co., Ltd."  # successor clause removed
    assert "示例光电有限公司" in [a["text"] for a in sample.aliases]
    assert sample.countries == ["CN"] and str(sample.listed_on) == "2019-05-16"
    assert "Presumption of denial" in sample.remarks
    rosoboron = by_id["OFAC-12345"]  # Treasury rows keyed by entity number
    assert rosoboron.identifiers == ["Tax ID No. 7718852163 RU"]
    assert by_id["OFAC-67890"].entity_type == "individual"


def test_csl_json_accepts_a_bare_array_and_reports_bad_entries():
    data = [
        {"id": "a", "name": "Good Co"},
        {"id": "b", "name": ""},
        "text",
        {"id": "c", "name": "X", "start_date": "15/01/2024"},
    ]
    result = parse("csl-json", json.dumps(data), code="US-CSL")
    assert sorted((e.row, e.message.split()[0]) for e in result.errors) == [
        (2, "the"),
        (3, "the"),
        (4, "start_date:"),
    ]


def test_csl_json_without_results_is_refused():
    assert parse("csl-json", '{"total": 0}').errors[0].row == 1
    assert "not valid JSON" in parse("csl-json", "{oops").errors[0].message


def test_un_xml_sample_keeps_original_script_and_weak_aliases():
    result = parse("un-xml", (SAMPLES / "un-xml-sample.xml").read_bytes(), code="UN-SC")
    assert result.errors == []
    by_id = {r.entity_id: r for r in result.records}
    ri = by_id["KPi.023"]
    assert ri.entity_type == "individual"
    assert {"text": "리원호", "weak": False} in ri.aliases
    assert {"text": "Ri Won-ho", "weak": True} in ri.aliases
    assert set(ri.countries) == {"KP", "SY"}
    assert by_id["KPe.001"].countries == ["KP"]
    assert "KOMID" in [a["text"] for a in by_id["KPe.001"].aliases]


def test_un_xml_rejects_external_entities_and_reports_records():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<CONSOLIDATED_LIST><ENTITIES><ENTITY><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>"
        b"<FIRST_NAME>&e;</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
    )
    result = parse("un-xml", xxe)
    assert not any("root:" in r.name for r in result.records)
    bad = (
        b"<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>A</FIRST_NAME></ENTITY>"
        b"<ENTITY><REFERENCE_NUMBER>B.1</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
    )
    errors = parse("un-xml", bad).errors
    assert [(e.row, "id" in e.message or "name" in e.message) for e in errors] == [
        (1, True),
        (2, True),
    ]
    assert "CONSOLIDATED_LIST" in parse("un-xml", b"<OTHER/>").errors[0].message


def test_content_hash_ignores_order_and_encoding():
    rows = ["L,1,entity,A,,US,,,,,,,", "L,2,entity,B,,CN,,,,,,,"]
    first = parse("icp-csv", HEADER + "\n".join(rows), code="L").records
    second = PARSERS["icp-csv"](
        (HEADER + "\n".join(reversed(rows))).encode("gb18030"), list_code="L"
    ).records
    assert content_sha256(first) == content_sha256(second)
    changed = parse(
        "icp-csv", HEADER + "L,1,entity,A,,US,,,,,,,\nL,2,entity,B2,,CN,,,,,,,", code="L"
    ).records
    assert content_sha256(changed) != content_sha256(first)
