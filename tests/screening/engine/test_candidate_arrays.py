"""The candidate search's array work (numpy) gives what the plain-Python loops it replaced gave,
to the last bit: the same ids in the same order with the same sums, the same posting lists, the
same typo neighbours."""

import random

import numpy as np
import pytest

from screening.engine import Alias, ListEntity, MatchIndex
from screening.engine.index import candidates, match_index
from screening.engine.index.keys import _PackedMultimap, _query_hash


def _dictionary_sum(segments, weights):
    """What rank_candidates did before: one dictionary, segment after segment."""
    scores: dict[int, float] = {}
    for ids, weight in zip(segments, weights, strict=True):
        for i in ids.tolist():
            scores[i] = scores.get(i, 0.0) + weight
    return scores


@pytest.mark.parametrize("seed", range(5))
def test_summed_ids_and_sums_are_the_dictionary_s_to_the_last_bit(seed):
    rng = random.Random(seed)
    segments = [
        np.array(sorted(rng.sample(range(3000), rng.randrange(1, 400))), dtype=np.uint32)
        for _ in range(rng.randrange(1, 12))
    ]
    # Weights whose sums round differently in another order.
    weights = [rng.random() * 10 ** rng.randrange(-3, 4) for _ in segments]
    ids, sums = candidates._summed(segments, weights)
    expected = _dictionary_sum(segments, weights)
    assert ids.tolist() == list(expected)
    assert sums.tolist() == list(expected.values())


@pytest.mark.parametrize("segments", [[], [np.zeros(0, dtype=np.uint32)]])
def test_summed_of_nothing_is_empty(segments):
    ids, sums = candidates._summed(segments, [1.0] * len(segments))
    assert ids.tolist() == [] and sums.tolist() == []


def test_the_top_values_are_the_best_items_ties_in_order():
    values = np.array([0.5, 2.0, 0.5, 2.0, 1.0, 0.5])
    scores = dict(enumerate(values.tolist()))
    for count in range(1, 7):
        best = [i for i, _ in candidates._best(scores, count)]
        assert candidates._top(values, count).tolist() == best


def test_many_hashes_are_looked_up_as_one_at_a_time():
    rng = random.Random(7)
    held = rng.sample(range(1, 1 << 40), 300)
    multimap = _PackedMultimap((h << 24) | rng.randrange(1 << 24) for h in held for _ in range(3))
    wanted = held[::2] + [0, (1 << 40) - 1] + [h + 1 for h in held[:50]]
    assert [ids.tolist() for ids in multimap.get_many(wanted)] == [
        multimap.get(h).tolist() for h in wanted
    ]
    assert multimap.get_many([]) == []
    assert [ids.tolist() for ids in _PackedMultimap(()).get_many([1, 2])] == [[], []]


def test_a_mapped_index_looks_many_keys_up_as_one_at_a_time(tmp_path):
    entities = [ListEntity(str(i), (Alias(f"Zelmar Nuvo {i} Trading"),)) for i in range(50)]
    path = tmp_path / "index.midx"
    with open(path, "wb") as handle:
        MatchIndex.build(entities).write(handle)
    index = MatchIndex.load(path)
    keys = ["zelmar", "nuvo", "trading", "absent", "zelmarnuvo"]
    found = index._lookup_many([_query_hash(k) for k in keys])
    assert [ids.tolist() for ids in found] == [index._lookup(k).tolist() for k in keys]
    assert len(found[0]) == 50 and len(found[3]) == 0


def test_keys_of_an_added_entity_follow_the_built_ones_in_ascending_order():
    index = MatchIndex.build([ListEntity("1", (Alias("Zelmar Trading"),))])
    index.add(ListEntity("2", (Alias("Zelmar Holdings"),)))
    (found,) = index._lookup_many([_query_hash("zelmar")])
    assert found.tolist() == index._lookup("zelmar").tolist() == [0, 1]


def test_typo_neighbours_of_many_words_are_those_of_each_even_when_the_cache_fills(monkeypatch):
    words = ["zentrixa", "quoravexz", "lumorra", "pelatron", "zentrixa"]
    names = ["Zentrixe", "Quoravexx", "Lumora", "Pelatrom", "Pelatran", "Lumorax"]
    entities = [ListEntity(str(i), (Alias(f"{n} Holdings"),)) for i, n in enumerate(names)]
    alone = MatchIndex.build(entities)
    expected = [alone._neighbours(w, far=True) for w in words]
    assert all(expected[:4])
    monkeypatch.setattr(match_index, "NEIGHBOUR_CACHE", 2)
    index = MatchIndex.build(entities)
    assert index._neighbours_many([(w, True) for w in words]) == expected
    assert len(index._neighbour_cache) <= 2


def test_a_query_whose_own_word_is_too_common_to_seed_finds_the_names_spelt_as_asked():
    # "fangli" is held by 600 parties (too common to seed), its typo neighbour "tangli" by
    # one: the query's own rarest word seeds too, or no "Fangli" party would be a candidate.
    entities = [ListEntity(f"x{i}", (Alias(f"Fangli {i}"),)) for i in range(600)]
    index = MatchIndex.build([*entities, ListEntity("t", (Alias("Tangli"),))])
    found = {key for key, _ in index.candidate_aliases("Fangli")}
    assert "t" in found
    assert len(found - {"t"}) == index.max_candidates - 1


def test_a_ranking_holding_arrays_compares_and_hashes_as_itself():
    entities = [ListEntity(f"x{i}", (Alias(f"Fangli {i}"),)) for i in range(600)]
    index = MatchIndex.build([*entities, ListEntity("t", (Alias("Tangli"),))])
    tokens = match_index.normalise_name("Fangli 7").tokens
    ranking = candidates.rank_candidates([index], tokens, 40)
    again = candidates.rank_candidates([index], tokens, 40)
    assert ranking == ranking and ranking != again and len({ranking, again}) == 2
    assert ranking.ids == again.ids
