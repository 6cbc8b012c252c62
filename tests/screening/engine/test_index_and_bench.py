"""Candidate generation stays bounded; the benchmark runs end to end at small size."""

import pytest

from bench.screening_bench import generate, run_brute_force, run_engine
from screening.engine import Alias, ListEntity, MatchIndex


@pytest.fixture(scope="module")
def dataset():
    return generate(entities=1500, queries=300, seed=3)


def test_candidates_are_bounded_and_found_without_a_scan():
    entities = [
        ListEntity(f"e{i}", (Alias(f"Shenzhen Trading Company {i} Limited"),)) for i in range(3000)
    ]
    entities.append(ListEntity("target", (Alias("Shenzhen Quoravex Trading Co., Ltd."),)))
    index = MatchIndex.build(entities, max_candidates=25)
    candidates = index.candidate_aliases("Quoravexx Trading Shenzhen")
    assert 0 < len(candidates) <= 25
    assert candidates[0] == ("target", "Shenzhen Quoravex Trading Co., Ltd.")
    assert index.search("Quoravexx Trading Shenzhen")[0].entity_key == "target"


def test_only_common_words_still_yields_a_bounded_candidate_list():
    entities = [ListEntity(f"e{i}", (Alias(f"Global Trading {i}"),)) for i in range(2000)]
    index = MatchIndex.build(entities, max_candidates=10)
    assert len(index.candidate_aliases("Global Trading")) <= 10


def test_small_benchmark_meets_quality_floors(dataset):
    figures, results = run_engine(dataset, threshold=0.85, workers=1)
    assert figures["recall"] >= 0.9
    assert figures["precision"] >= 0.9
    assert figures["p95_ms"] < 200
    sample = list(range(0, len(dataset.queries), 5))
    brute, _ = run_brute_force(dataset, sample, threshold=0.85)
    sampled = [dataset.queries[i] for i in sample]
    found = sum(
        q.expected is not None and results[i].get(q.expected, 0) >= 0.85
        for i, q in zip(sample, sampled, strict=True)
    )
    positives = sum(q.expected is not None for q in sampled)
    assert found / positives >= 0.97 * brute["recall"]


def test_generated_queries_cover_every_variant_kind(dataset):
    kinds = {q.kind for q in dataset.queries}
    assert {"typo", "order", "spacing", "legal", "script", "pinyin", "missing"} <= kinds
    assert {"unlisted_company", "unlisted_chinese", "near_miss_company"} <= kinds
