"""One search over several indexes (one per list version), and the aliases a candidate brings."""

from datetime import date

from screening.engine import Alias, ListEntity, MatchIndex, normalise_name, search_many
from screening.engine.index import name_keys

SANCTIONS = [
    ListEntity(
        "1",
        (Alias("华为技术有限公司"), Alias("HUAWEI TECHNOLOGIES CO., LTD.")),
        "organization",
        ("CN",),
    ),
    ListEntity("2", (Alias("Lockheed Martin Corporation"),), None, ("US",), date(2024, 1, 1)),
]
IN_HOUSE = [
    ListEntity("10", (Alias("Huawei Technologies Investment Co., Ltd."),), "organization", ("CN",)),
    ListEntity("11", (Alias("Rosoboronexport JSC"), Alias("Рособоронэкспорт"))),
]


def test_search_many_gives_each_index_s_own_hits_best_first():
    first, second = MatchIndex.build(SANCTIONS), MatchIndex.build(IN_HOUSE)
    hits = search_many([first, second], "Huawei Technologies", country="CN")
    assert [h.entity_key for h in hits] == ["1", "10"]
    assert hits[0].score >= hits[1].score
    # The same hit, reasons included, as the index holding the party gives alone.
    assert hits[0] == first.search("Huawei Technologies", country="CN")[0]
    assert hits[1] == second.search("Huawei Technologies", country="CN")[0]
    assert [h.entity_key for h in search_many([first, second], "Huawei", limit=1)] == ["1"]


def test_search_many_applies_the_day_and_finds_nothing_without_indexes():
    first, second = MatchIndex.build(SANCTIONS), MatchIndex.build(IN_HOUSE)
    assert search_many([first, second], "Lockheed Martin", on=date(2023, 12, 31))
    assert not search_many([first, second], "Lockheed Martin", on=date(2024, 1, 1))
    assert search_many([], "Lockheed Martin") == []
    assert search_many([first], "   ") == []


def test_a_candidate_brings_the_other_aliases_of_its_party():
    # Both aliases share the query's keys equally; only one candidate is scored per slice,
    # and the first (the long name, 0.62: not a hit, so no widening) would hide the exact one.
    entity = ListEntity("e", (Alias("Quoravexx Zentrix Lumora Pelatron"), Alias("Quoravexx")))
    index = MatchIndex.build([entity], max_candidates=1)
    assert index.candidate_aliases("Quoravexx") == [("e", "Quoravexx Zentrix Lumora Pelatron")]
    hits = index.search("Quoravexx")
    assert [(h.entity_key, h.alias.text, h.score) for h in hits] == [("e", "Quoravexx", 1.0)]


def test_short_names_meet_in_any_word_order():
    keys = name_keys(normalise_name("HE Xue Xiu").tokens)
    assert name_keys(normalise_name("Xue He").tokens) & keys >= {"&he xue"}
    assert name_keys(normalise_name("薛和秀").tokens) >= {"&he xue", "&he xiu", "&xiu xue"}
    # Longer names (companies) get no pair keys.
    assert not any(k.startswith("&") for k in name_keys(normalise_name("A B C D E").tokens))


def test_two_words_joined_with_a_typo_find_the_spaced_name():
    # 600 other "... Technology" parties make "technology" and its affixes too common to seed.
    entities = [ListEntity(f"e{i}", (Alias(f"Zelmar Nuvo {i} Technology"),)) for i in range(600)]
    entities.append(ListEntity("target", (Alias("Viokurt Technology"),)))
    index = MatchIndex.build(entities)
    hits = index.search("Viokurktechnology")
    assert hits and hits[0].entity_key == "target" and hits[0].score >= 0.85


def test_a_joined_short_name_with_a_typo_finds_the_spaced_one():
    index = MatchIndex.build(
        [ListEntity("t", (Alias("Tang Li"),)), ListEntity("z", (Alias("Zen Li"),))]
    )
    hits = index.search("Fangli")
    assert [(h.entity_key, h.score) for h in hits] == [("t", 0.8667)]


def test_only_a_candidate_scoring_above_the_sibling_floor_brings_its_party_s_aliases(
    monkeypatch,
):
    from screening.engine.index import search as search_module
    from screening.engine.score import QueryScorer, compare

    scored = []

    class Recording:
        """The scorer the search uses, noting each alias it scores (a wrapper: the compiled
        scorer's class takes no new attributes)."""

        def __init__(self, query):
            self._scorer = QueryScorer(query)

        def compare(self, listed):
            scored.append(" ".join(t.latin for t in listed))
            return self._scorer.compare(listed)

    monkeypatch.setattr(search_module, "QueryScorer", Recording)
    query = normalise_name("Quoravexx Trading").tokens
    for found, above in (
        # Only the generic word in common: no other alias of the party is scored.
        ("Zentrix Lumora Pelatron Corvane Brastel Trading", False),
        # The brand in common: the party's other alias is scored too.
        ("Quoravexx Lumora Pelatron Trading", True),
    ):
        value = compare(query, normalise_name(found).tokens)
        assert value > 0.0
        assert (value > search_module.SIBLING_FLOOR) is above
        scored.clear()
        index = MatchIndex.build([ListEntity("e", (Alias(found), Alias("Vexorium")))], 1)
        index.search("Quoravexx Trading")
        assert ("vexorium" in scored) is above


def test_the_typo_neighbours_of_a_word_follow_an_added_entity():
    index = MatchIndex.build([ListEntity("1", (Alias("Quoravexx Holdings"),))])
    assert index._neighbours("zentrixa") == []  # remembered for the next query
    index.add(ListEntity("2", (Alias("Zentrixe Holdings"),)))
    assert index._neighbours("zentrixa") == [("zentrixe", 1)]
    assert [h.entity_key for h in index.search("Zentrixa Holdings")] == ["2"]
