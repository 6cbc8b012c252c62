"""Candidate rules of the index: which listed aliases a query reaches before scoring."""

import pytest

from screening.engine import Alias, ListEntity, MatchIndex
from screening.engine.index import candidates, match_index, search, split_joined
from screening.engine.normalise import normalise_name


def _index(*names: str, common: str = "", count: int = 600) -> MatchIndex:
    """An index of ``names`` among ``count`` other parties sharing the words of ``common``
    (so those words, and their affixes, are too common to seed candidates)."""
    entities = [ListEntity(f"x{i}", (Alias(common.format(i=i)),)) for i in range(count)]
    entities += [ListEntity(f"t{i}", (Alias(name),)) for i, name in enumerate(names)]
    return MatchIndex.build(entities)


def test_a_long_joined_word_splits_at_a_generic_word():
    index = _index("Biokurk Technology", common="Zelmar Nuvo {i} Technology")
    assert split_joined("viokurktechnology", [index]) == {"viokurk", "technology"}
    # A place that opens the word is generic too.
    assert split_joined("hangzhouhuanjingbai", [index]) == {"hangzhou", "huanjingbai"}
    # Too short a part, or a word the index knows whole, is not split.
    assert split_joined("xytechnology", [index]) == set()
    assert split_joined("biokurktechnology", [index]) == set()


def test_a_long_joined_word_splits_at_a_vocabulary_word():
    index = _index("Zorvex Quandrel Lumora Pelatron Vantis")
    assert split_joined("xorvexquandrel", [index]) == {"xorvex", "quandrel"}
    assert split_joined("xorvexquandral", [index]) == set()


def test_the_brand_of_a_joined_word_finds_its_typo_neighbours():
    # "Biokurk" differs from the query's "viokurk" in its first letter, so no affix key of
    # the joined pair is shared, and "technology" is held by 600 other parties.
    index = _index("Biokurk Technology", common="Zelmar Nuvo {i} Technology")
    hits = index.search("Viokurktechnology")
    assert [(h.entity_key, h.score) for h in hits] == [("t0", 0.9529)]


@pytest.mark.parametrize("split", [True, False])
def test_a_generic_word_split_off_lets_the_brand_find_its_typo(monkeypatch, split):
    # Five listed words: the joined pairs are no vocabulary words, so only the split reaches
    # "biokurk"; every other word of the query is held by 600 other parties.
    index = _index(
        "Lumora Pelatron Vantis Biokurk Technology",
        common="Lumora Pelatron Vantis {i} Technology",
    )
    # The whole names are one edit apart, which the whole-name rule finds too: here the
    # split alone.
    monkeypatch.setattr(candidates, "_whole_name_matches", lambda indexes, tokens: set())
    if not split:
        monkeypatch.setattr(candidates, "MIN_SPLIT_WORD", 100)
    keys = [key for key, _ in index.candidate_aliases("Lumora Pelatron Vantis Viokurktechnology")]
    assert ("t0" in keys) is split


@pytest.mark.parametrize("split", [True, False])
def test_a_vocabulary_word_split_off_lets_the_other_part_find_its_typo(monkeypatch, split):
    # The listed name has five words, so its joined pairs are no vocabulary words; every
    # other word of the query is held by 600 other parties.
    index = _index(
        "Zorvex Quandrel Lumora Pelatron Vantis", common="Quandrel Lumora Pelatron Vantis {i}"
    )
    monkeypatch.setattr(candidates, "_whole_name_matches", lambda indexes, tokens: set())
    if not split:
        monkeypatch.setattr(candidates, "MIN_SPLIT_WORD", 100)
    keys = [key for key, _ in index.candidate_aliases("Xorvexquandrel Lumora Pelatron Vantis")]
    assert ("t0" in keys) is split


@pytest.mark.parametrize("written_like", [True, False])
def test_a_name_with_hits_scores_the_ranked_candidates_written_most_like_it(
    monkeypatch, written_like
):
    # "YIN Yang Hong" scores 0.86 for "Kong Linyang" ("hong" ~ "kong", "yinyang" ~
    # "linyang") but holds only typo neighbours of the query's keys: here the key ranking puts
    # it last. With two candidates a slice, that ranking stops after the first slice (no hit
    # in its lower half); the extra slice, ordered by likeness, reaches it.
    target = ListEntity("t1", (Alias("尹洋红"), Alias("YIN Yang Hong")))
    others = [ListEntity(f"x{i}", (Alias(f"Zuvex Qoltam {i}"),)) for i in range(10)]
    index = MatchIndex.build([ListEntity("t0", (Alias("Kong Linyang"),)), *others, target], 2)
    ranking = list(range(len(index._alias_code)))  # t0, the others, then the target
    monkeypatch.setattr(search, "rank_candidates", lambda *args: candidates.Ranking(ranking))
    if not written_like:
        monkeypatch.setattr(search, "_written_like", lambda indexes, query: lambda c: 0)
    hits = {h.entity_key: h.score for h in index.search("Kong Linyang")}
    assert hits["t0"] == 1.0
    assert (hits.get("t1", 0) >= 0.85) is written_like


@pytest.mark.parametrize("below", [True, False])
def test_a_name_with_hits_also_weighs_the_candidates_its_ranking_left_out(monkeypatch, below):
    # "Hangzhou Beijin Trading" scores 0.92 for "Gangzhou Trading Beijing", but its only rare
    # key is "beijin" (a typo neighbour held by 300 other parties): "hangzhou" (a typo
    # neighbour of "gangzhou") and "trading" are too common to seed candidates, and 40
    # parties holding "kangzhou" (another neighbour, rarer) fill the ranking before it. Its
    # common keys, weighed too, put it first among the candidates left out.
    entities = [ListEntity("t0", (Alias("Beijing Gangzhou Trading"),))]
    entities += [ListEntity(f"k{i}", (Alias(f"{i} Nuvo Kangzhou"),)) for i in range(40)]
    for word, count in [("Qoltam Beijin", 300), ("Zelmar Beijing", 600), ("Zuvex Trading", 600)]:
        entities += [ListEntity(f"{word}{i}", (Alias(f"{i} {word}"),)) for i in range(count)]
    entities += [ListEntity(f"h{i}", (Alias(f"{i} Lumora Hangzhou"),)) for i in range(600)]
    entities.append(ListEntity("t1", (Alias("Hangzhou Beijin Trading"),)))
    index = MatchIndex.build(entities, 2)
    tokens = normalise_name("Gangzhou Trading Beijing").tokens
    ranking = candidates.rank_candidates([index], tokens, 16)
    target = len(index._alias_code) - 1
    assert target not in ranking.ids
    assert ranking.below(1) == [target]
    if not below:
        monkeypatch.setattr(candidates.Ranking, "below", lambda self, count: [])
    hits = {h.entity_key: h.score for h in index.search("Gangzhou Trading Beijing")}
    assert hits == ({"t0": 1.0, "t1": 0.9221} if below else {"t0": 1.0})


def test_a_ranking_that_left_nothing_out_has_nothing_below():
    index = _index("Hangzhou Beijin Trading", common="Zelmar Nuvo {i}", count=20)
    ranking = candidates.rank_candidates([index], normalise_name("Beijin").tokens, 16)
    assert [index._alias_code[c] for c in ranking.ids] == ["^hangzhou beijin ~trading"]
    assert ranking.below(10) == []


@pytest.mark.parametrize("scan", [True, False])
def test_the_aliases_of_the_generic_word_reach_a_brand_two_edits_away(monkeypatch, scan):
    # "crefucomposites" ~ "skefu composites": two edits in fifteen letters (the scorer
    # allows three), but "skefu" is no typo neighbour of "crefu" and no key is shared.
    index = _index("Skefu Composites Ltd", common="Zelmar Nuvo {i} Composites")
    # "skefucomposites" (the listed pair joined) is a typo neighbour two edits away, which
    # the segment keys find too: here the scan alone.
    monkeypatch.setattr(match_index, "query_word_probes", lambda word: ())
    if not scan:
        monkeypatch.setattr(candidates, "MAX_GENERIC_SCAN", 0)
    hits = {h.entity_key: h.score for h in index.search("Crefucomposites")}
    assert hits == ({"t0": 0.8933} if scan else {})
    # Over the limit of aliases to read, the rule stands aside.
    monkeypatch.setattr(candidates, "MAX_GENERIC_SCAN", 600)
    assert not index.search("Crefucomposites")


@pytest.mark.parametrize("segments", [True, False])
def test_a_whole_name_two_edits_away_is_a_candidate(monkeypatch, tmp_path, segments):
    # "Shan ghai Yonghong Trading" ~ "Shanghai Dongzhong Trading": two edits in 24 letters,
    # which the whole-name rule allows; but "yonghong" is two edits from "dongzhong" (no
    # typo neighbour) and "shanghai" and "trading" are held by 600 other parties.
    index = _index("Shanghai Dongzhong Trading", common="Shanghai Zelmar Nuvo {i} Trading")
    if not segments:
        monkeypatch.setattr(candidates, "_whole_name_matches", lambda indexes, tokens: set())
    hits = {h.entity_key: h.score for h in index.search("Shan ghai Yonghong Trading")}
    assert hits == ({"t0": 0.9333} if segments else {})
    # The keys are in the index file too.
    path = tmp_path / "index.midx"
    with path.open("wb") as handle:
        index.write(handle)
    mapped = MatchIndex.load(path)
    assert [h.entity_key for h in mapped.search("Shan ghai Yonghong Trading")] == (
        ["t0"] if segments else []
    )


@pytest.mark.parametrize("far", [True, False])
def test_a_long_word_two_or_three_edits_away_is_a_typo_neighbour(monkeypatch, far):
    # Two edits in nine letters, three in fourteen: the scorer allows them (edit_budget), the
    # delete-1 table does not reach them, and "hydraulics" is held by 600 other parties.
    index = _index(
        "Hydraulics Kraivlest", "Vantaprestolik Hydraulics", common="Hydraulics Zelmar Nuvo {i}"
    )
    if not far:
        monkeypatch.setattr(match_index, "query_word_probes", lambda word: ())
    assert (("kraivlest", 2) in index._neighbours("kraiprest", far=True)) is far
    assert (("vantaprestolik", 3) in index._neighbours("ventaprostelik", far=True)) is far
    # Joined pairs and split parts of the query look one edit away only.
    assert ("kraivlest", 2) not in index._neighbours("kraiprest")
    hits = {h.entity_key: h.score for h in index.search("Hydraulics Kraiprest")}
    assert hits == ({"t0": 0.8889} if far else {})
