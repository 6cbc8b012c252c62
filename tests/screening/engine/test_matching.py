"""Matching through the index: scripts, order, typos, near misses, qualifiers, reasons."""

import pytest

from screening.engine import Alias, Decision, ListEntity, MatchIndex, decide

ENTITIES = [
    ListEntity(
        "huawei",
        (
            Alias("华为技术有限公司", lang="zh"),
            Alias("HUAWEI TECHNOLOGIES CO., LTD."),
            Alias("HT", weak=True),
        ),
        "organization",
        ("CN",),
    ),
    ListEntity(
        "haier", (Alias("Haier Group Corporation"), Alias("海尔集团公司")), "organization", ("CN",)
    ),
    ListEntity("wang", (Alias("Wang Xiaoming"), Alias("王小明")), "person", ("CN",)),
    ListEntity("ivanov", (Alias("Sergei Petrovich Ivanov"),), "person", ("RU",)),
    ListEntity("roe", (Alias("Rosoboronexport JSC"),), "organization", ("RU",)),
    ListEntity(
        "dji",
        (Alias("深圳市大疆创新科技有限公司"), Alias("SZ DJI Technology Co., Ltd.")),
        "organization",
        ("CN",),
    ),
]


@pytest.fixture(scope="module")
def index():
    return MatchIndex.build(ENTITIES)


def best(index, name, **kwargs):
    hits = index.search(name, **kwargs)
    return hits[0] if hits else None


def codes(hit):
    return [r.code for r in hit.reasons]


def test_pinyin_query_meets_chinese_name(index):
    hit = best(index, "Hua Wei Ji Shu")
    assert hit.entity_key == "huawei"
    assert hit.alias.text == "华为技术有限公司"
    assert hit.decision is Decision.MATCH
    assert hit.reasons[0].code == "word_pinyin"
    assert hit.reasons[0].params["listed"] == "华为技术"


def test_joined_pinyin_query_meets_chinese_name(index):
    hit = best(index, "Huawei Jishu")
    assert (hit.entity_key, hit.score) == ("huawei", 1.0)


def test_chinese_name_meets_english_alias_only_through_the_alias(index):
    hit = best(index, "Huawei Technologies Co Ltd")
    assert hit.alias.text == "HUAWEI TECHNOLOGIES CO., LTD."
    assert hit.score == 1.0
    assert "legal_form_same" in codes(hit)


def test_traditional_query_meets_simplified_alias(index):
    hit = best(index, "華為技術有限公司")
    assert hit.alias.text == "华为技术有限公司"
    assert hit.score == 1.0


def test_homophone_characters_score_below_identical_ones(index):
    hit = best(index, "化为技术有限公司")
    assert hit.entity_key == "huawei"
    assert 0.85 <= hit.score < 1.0
    assert "word_homophone" in codes(hit)


def test_person_word_order_does_not_matter(index):
    assert best(index, "Xiaoming Wang").score == 1.0
    assert best(index, "Ivanov Sergei Petrovich").score == 1.0


def test_missing_middle_name_is_a_potential_match(index):
    hit = best(index, "Sergei Ivanov")
    assert hit.entity_key == "ivanov"
    assert hit.decision is Decision.POTENTIAL_MATCH
    assert {"word": "petrovich"} in [
        r.params for r in hit.reasons if r.code == "listed_word_unmatched"
    ]


def test_typo_matches_and_is_explained(index):
    hit = best(index, "Huawey Technologies")
    assert hit.entity_key == "huawei"
    assert hit.decision is not Decision.CLEAR
    assert "whole_name_typo" in codes(hit) or "word_typo" in codes(hit)


def test_spacing_is_explained(index):
    hit = best(index, "Hua Wei Technologies Ltd")
    assert hit.score == 1.0
    spacing = [r for r in hit.reasons if r.code == "word_spacing"]
    assert spacing and spacing[0].params == {"query": "hua wei", "listed": "huawei", "score": 1.0}


def test_transliterated_cyrillic_meets_latin_alias(index):
    hit = best(index, "Рособоронэкспорт")
    assert hit.entity_key == "roe"
    assert hit.decision is Decision.POTENTIAL_MATCH


def test_near_miss_does_not_match(index):
    alerts = [h.entity_key for h in index.search("Huawei") if h.decision is not Decision.CLEAR]
    assert alerts == ["huawei"]
    assert all(h.entity_key != "huawei" for h in index.search("Haier"))
    assert all(h.entity_key != "haier" for h in index.search("华为"))


def test_derived_pinyin_is_not_matched_fuzzily():
    index = MatchIndex.build([ListEntity("gong", (Alias("龚林洋"),), "person")])
    assert best(index, "Gong Linyang").score == 1.0
    assert best(index, "Kong Linyang") is None
    assert best(index, "Gong Lin Yan") is None


def test_generic_words_alone_do_not_match(index):
    hits = index.search("Shenzhen Technology Co Ltd")
    assert all(h.decision is Decision.CLEAR for h in hits)


def test_unmatched_query_words_are_named(index):
    hit = best(index, "Huawei Technologies Devices", threshold=0.6)
    assert {"word": "devices"} in [
        r.params for r in hit.reasons if r.code == "query_word_unmatched"
    ]
    assert hit.score < 1.0


def test_weak_alias_matches_only_exactly(index):
    hit = best(index, "HT")
    assert hit.entity_key == "huawei" and hit.alias.weak
    assert hit.decision is Decision.POTENTIAL_MATCH
    assert codes(hit) == ["weak_alias_exact"]
    assert all(h.entity_key != "huawei" for h in index.search("HTX"))


def test_country_agreement_raises_and_conflict_lowers(index):
    neutral = best(index, "Huawey Technologies").score
    agree = best(index, "Huawey Technologies", country="cn")
    conflict = best(index, "Huawey Technologies", country="US")
    assert agree.score > neutral > conflict.score
    assert "country_match" in codes(agree)
    reason = next(r for r in conflict.reasons if r.code == "country_conflict")
    assert reason.effect < 0 and reason.params == {"query": "US", "listed": "CN"}
    assert "country" in str(reason)
    related = best(index, "Huawei Technologies", country="HK")
    assert related.score == 1.0


def test_entity_type_conflict_lowers_score(index):
    assert best(index, "Wang Xiaoming", entity_type="organization").score < 1.0


def test_threshold_is_per_call(index):
    strict = best(index, "Sergei Ivanov", threshold=0.99)
    assert strict.decision is Decision.CLEAR
    assert best(index, "Sergei Ivanov", threshold=0.8).decision is Decision.POTENTIAL_MATCH


def test_reasons_have_english_text_and_data(index):
    hit = best(index, "Huawei Technologies Devices", threshold=0.6)
    assert "devices" in hit.explain()
    assert all(isinstance(r.as_dict()["params"], dict) for r in hit.reasons)


def test_decide():
    assert decide(0.96) is Decision.MATCH
    assert decide(0.9) is Decision.POTENTIAL_MATCH
    assert decide(0.8) is Decision.CLEAR
    assert decide(0.8, threshold=0.75) is Decision.POTENTIAL_MATCH


def test_add_and_remove_entities():
    index = MatchIndex.build(ENTITIES[:2])
    assert best(index, "Wang Xiaoming") is None
    index.add(ENTITIES[2])
    assert best(index, "Wang Xiaomig").entity_key == "wang"
    index.remove("huawei")
    assert best(index, "Hua Wei Ji Shu") is None
    assert len(index) == 2
    with pytest.raises(ValueError):
        index.add(ENTITIES[2])


def test_the_per_query_scorer_gives_compare_s_scores():
    # QueryScorer works out each listed word's similarities once per query; every pair of a
    # varied set of names must score exactly as compare does.
    from screening.engine import normalise_name
    from screening.engine.score import QueryScorer, compare

    names = [
        "Huawei Technologies Co., Ltd.",
        "华为技术有限公司",
        "Hua Wei Technology",
        "Shenzhen Huawei Trading",
        "ООО «Ростех»",
        "OOO Rostekh",
        "CHAN Tai Man",
        "陈大文",
        "Tai-Man Chan",
        "上海振华重工（集团）股份有限公司",
        "Shanghai Zhenhua Heavy Industries Group",
        "Zhenhua",
        "J Smith",
        "John Smyth Holdings",
    ]
    tokens = [normalise_name(name).tokens for name in names]
    for query in tokens:
        scorer = QueryScorer(query)
        for listed in tokens:
            assert scorer.compare(listed) == compare(query, listed)
