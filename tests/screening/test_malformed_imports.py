"""Malformed list files give row-level errors, never a 500 (issue #18)."""

import json

import pytest
from django.core.exceptions import ValidationError

from screening.adapters import PARSERS
from screening.services.parties import party_import

HEADER = "list_code,entity_id,entity_type,name,country\n"


def test_icp_csv_cell_over_128_kb_is_a_row_error():
    content = HEADER + "L,E-1,entity,Fine,CN\n" + "L,E-2,entity," + "x" * 200_000 + ",CN\n"
    result = PARSERS["icp-csv"](content.encode(), list_code="L")
    assert [e.row for e in result.errors] and "128 KB" in str(result.errors[0])
    assert not result.records


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "A", "addresses": [5], "ids": [7], "start_date": 20240101},
        {"name": ["A"], "addresses": 5, "ids": {"number": 1}, "start_date": ["x"]},
        {"name": "A", "alt_names": 3, "nationalities": [["CN"]], "programs": 1},
    ],
)
def test_csl_json_malformed_entries_do_not_crash(entry):
    content = json.dumps({"results": [{"id": "X-1", **entry}]}).encode()
    result = PARSERS["csl-json"](content, list_code="L")
    assert result.records or result.errors


def test_csl_json_not_an_object_is_a_row_error():
    result = PARSERS["csl-json"](b'{"results": [1, "a"]}', list_code="L")
    assert [e.row for e in result.errors] == [1, 2]


def test_party_import_cell_over_128_kb_is_a_row_error(world):
    content = "name,country\nOK,CN\n" + "y" * 200_000 + ",CN\n"
    with pytest.raises(ValidationError) as caught:
        party_import(
            organisation=world.organisation,
            user=world.users["manager"],
            content=content.encode(),
            filename="p.csv",
        )
    assert any("128 KB" in m and m.startswith("Row ") for m in caught.value.messages)
