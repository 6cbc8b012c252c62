"""An index written to a file and mapped back answers exactly like the index it came from."""

from datetime import date

import pytest

from screening.engine import Alias, ListEntity, MatchIndex

ENTITIES = [
    ListEntity(
        "1",
        (Alias("华为技术有限公司"), Alias("HUAWEI TECHNOLOGIES CO., LTD."), Alias("HW", weak=True)),
        "organization",
        ("CN",),
    ),
    ListEntity("2", (Alias("Lockheed Martin Corporation"),), None, ("US",), date(2024, 1, 1)),
    ListEntity("3", (Alias("Рособоронэкспорт"), Alias("Rosoboronexport JSC")), "organization"),
]
QUERIES = ["Hua Wei Technologies", "Lokheed Martin", "HW", "华为技术", "Rosoboroneksport"]


@pytest.fixture
def mapped(tmp_path):
    path = tmp_path / "index.midx"
    with open(path, "wb") as handle:
        written = MatchIndex.build(ENTITIES).write(handle)
    assert written == path.stat().st_size
    return MatchIndex.load(path)


def test_the_mapped_index_gives_the_same_hits_and_reasons(mapped):
    built = MatchIndex.build(ENTITIES)
    for query in QUERIES:
        for country in (None, "CN", "RU"):
            expected = built.search(query, country=country)
            assert expected, query
            assert mapped.search(query, country=country) == expected
    assert len(mapped) == 3
    assert [(e.key, e.names, e.countries) for e in mapped.entities()] == [
        (e.key, tuple(e.names), e.countries) for e in ENTITIES
    ]


def test_delisted_parties_drop_out_from_their_delisting_day(mapped):
    assert mapped.search("Lockheed Martin", on=date(2023, 12, 31))
    assert not mapped.search("Lockheed Martin", on=date(2024, 1, 1))
    assert mapped.search("Lockheed Martin")  # no day given: everything


def test_a_mapped_index_is_read_only(mapped):
    with pytest.raises(TypeError):
        mapped.add(ListEntity("9", (Alias("New Party Ltd"),)))
    with pytest.raises(TypeError):
        mapped.remove("1")


def test_a_file_that_is_not_an_index_is_refused(tmp_path):
    path = tmp_path / "other.midx"
    path.write_bytes(b"PK\x03\x04 not an index at all")
    with pytest.raises(ValueError, match="not a match index"):
        MatchIndex.load(path)
