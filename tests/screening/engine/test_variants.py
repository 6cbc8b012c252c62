"""The variant classes real lists and customers produce (docs/screening-engine.md, "Variants"):
place prefixes, brackets, Russian transliteration systems, Hong Kong romanisation. Names are
invented."""

import io
from pathlib import Path

import pytest

from bench import screening_variants
from screening.engine import (
    Alias,
    Decision,
    ListEntity,
    MatchIndex,
    cantonese,
    normalise_name,
    translit,
)
from screening.engine.index import FORMAT_VERSION, name_keys
from screening.engine.normalise import place_prefix

ENTITIES = [
    ListEntity("kunming", (Alias("昆明星瑞光电股份有限公司"),), "organization", ("CN",)),
    ListEntity("taijia", (Alias("泰嘉雷达电子有限公司"),), "organization", ("CN",)),
    ListEntity("haina", (Alias("嘉兴海纳特种纤维有限公司"),), "organization", ("CN",)),
    ListEntity("huateng", (Alias("上海华腾装备（集团）股份有限公司"),), "organization", ("CN",)),
    ListEntity("radio", (Alias("АО «Концерн Радиоточность»"),), "organization", ("RU",)),
    ListEntity("plus", (Alias("ООО «Техноплюс»"),), "organization", ("RU",)),
    ListEntity("zhilyaev", (Alias("Юрий Андреевич Жиляев"),), "person", ("RU",)),
    ListEntity("kharitonov", (Alias("Dmitriy Yuryevich Kharitonov"),), "person", ("RU",)),
    ListEntity("chan", (Alias("陳大文"),), "person", ("HK",)),
    ListEntity("au", (Alias("區志光"),), "person", ("HK",)),
    ListEntity("wong", (Alias("WONG Kwok-wai"),), "person", ("HK",)),
    ListEntity("wangxm", (Alias("王小明"),), "person", ("CN",)),
]


@pytest.fixture(scope="module")
def index():
    return MatchIndex.build(ENTITIES)


def alerts(index, name):
    return [h for h in index.search(name) if h.decision is not Decision.CLEAR]


def found(index, name, key):
    hits = alerts(index, name)
    got = [(h.entity_key, h.score) for h in hits]
    assert [h.entity_key for h in hits][:1] == [key], (name, got)
    return hits[0]


# ----------------------------------------------------------------- place prefixes
def test_leading_places_are_marked_and_inner_ones_are_not():
    assert place_prefix("江苏省无锡市华岚精密机械") == 6
    assert place_prefix("苏州工业园区瑞芯半导体") == 6
    assert place_prefix("昆明") == 0  # nothing distinctive would be left
    name = normalise_name("南京泰嘉雷达电子有限公司")
    assert [t.place for t in name.tokens] == [True, True, False, False, False, False, False, False]
    assert not any(t.place for t in normalise_name("金鼎大同机械有限公司").tokens)  # not leading
    assert normalise_name("Kunming Xingrui Guangdian Co., Ltd.").tokens[0].place
    assert not normalise_name("Ali Hassan Trading").tokens[0].place
    # Personal names whose given name is a city are not companies with a place prefix.
    assert not any(t.place for t in normalise_name("Xinyu Zhang").tokens)
    assert not any(t.place for t in normalise_name("安康明华").tokens)
    assert normalise_name("Xinyu Precision Co., Ltd.").tokens[0].place


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("星瑞光电股份有限公司", "kunming"),
        ("云南星瑞光电股份有限公司", "kunming"),
        ("Xingrui Guangdian Gufen Youxian Gongsi", "kunming"),
        ("南京泰嘉雷达电子有限公司", "taijia"),
        ("江苏省南京市泰嘉雷达电子有限公司", "taijia"),
    ],
)
def test_place_prefix_dropped_or_added(index, query, key):
    found(index, query, key)


@pytest.mark.parametrize(
    "query", ["星瑞光学股份有限公司", "昆明星辉光电股份有限公司", "南京泰安雷达电子有限公司"]
)
def test_same_place_other_name_stays_clear(index, query):
    assert alerts(index, query) == []


def test_swapped_characters_are_another_name(index):
    assert alerts(index, "嘉兴纳海特种纤维有限公司") == []
    assert found(index, "海纳特种纤维有限公司", "haina").score >= 0.95


# ----------------------------------------------------------------- brackets
def test_legal_forms_are_stripped_across_brackets():
    bracketed = normalise_name("上海华腾装备（集团）股份有限公司")
    plain = normalise_name("上海华腾装备集团股份有限公司")
    assert bracketed.tokens == plain.tokens
    assert set(bracketed.legal_forms) == {"LTD", "GROUP"}
    assert normalise_name("深圳市新锐通信（控股）有限公司").legal_forms == ("LTD", "HOLDING")


@pytest.mark.parametrize(
    "query",
    [
        "上海华腾装备(集团)股份有限公司",
        "Shanghai Huateng Zhuangbei (Jituan) Gufen Youxian Gongsi",
        "ShanghaiHuatengZhuangbei (Jituan) Co., Ltd.",
        "Shanghaihuatengzhuangbeijituan Gufenyouxiangongsi",
    ],
)
def test_bracketed_group_in_characters_and_pinyin(index, query):
    assert found(index, query, "huateng").score >= 0.95


def test_bracketed_other_name_stays_clear(index):
    assert alerts(index, "上海华腾机电（集团）股份有限公司") == []
    assert alerts(index, "Shanghai Huaxing Zhuangbei (Jituan) Gufen Youxian Gongsi") == []


# ----------------------------------------------------------------- Russian transliteration
def test_transliteration_key_joins_the_systems():
    for spellings in (
        ("zhilyayev", "zhiliaev", "zhilyaev"),  # BGN/PCGN, ICAO, popular
        ("yuriy", "iurii", "yury"),
        ("tekhnoplyus", "tekhnoplius", "tehnoplus"),
        ("dzhetenergo", "jetenergo"),
        ("shchukin", "schukin"),
        ("aleksandrovich", "alexandrovich"),
    ):
        assert len({translit.fold(s) for s in spellings}) == 1, spellings
    assert translit.fold("dmitriev") != translit.fold("dmitrenko")


def test_russian_short_forms_are_stripped_in_latin_unless_the_name_is_pinyin():
    assert normalise_name('AO "Kontsern Radiotochnost"').legal_forms == ("JSC",)
    assert normalise_name("Tsentr Spetsialnoy Svyazi PAO").words == (
        "tsentr",
        "spetsialnoy",
        "svyazi",
    )
    assert normalise_name("Zao Shan").words == ("zao", "shan")  # a pinyin name keeps "zao"


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ('AO "Kontsern Radiotochnost"', "radio"),
        ("KONTSERN RADIOTOCHNOST JSC", "radio"),
        ("OOO Tekhnoplyus", "plus"),
        ("TEKHNOPLIUS LLC", "plus"),
        ("Tehnoplus LLC", "plus"),
        ("Yuriy Andreyevich Zhilyayev", "zhilyaev"),
        ("IURII ANDREEVICH ZHILIAEV", "zhilyaev"),
        ("Yury Zhilyaev", "zhilyaev"),
        ("Дмитрий Юрьевич Харитонов", "kharitonov"),  # the reverse: listed in Latin
        ("DMITRII IUREVICH KHARITONOV", "kharitonov"),
    ],
)
def test_russian_names_across_systems(index, query, key):
    hit = found(index, query, key)
    assert hit.score >= 0.85


def test_transliteration_is_explained_and_below_an_exact_match(index):
    hit = found(index, "Tehnoplus LLC", "plus")
    assert "word_transliteration" in [r.code for r in hit.reasons]
    assert hit.decision is Decision.POTENTIAL_MATCH


@pytest.mark.parametrize(
    "query", ["AO Kontsern Radiosvyaz", "OOO Teknoplast", "Yuriy Zhilin", "Dmitriy Kharlamov"]
)
def test_russian_near_names_stay_clear(index, query):
    assert alerts(index, query) == []


def test_pinyin_differences_are_not_transliterations():
    from screening.engine.score import transliteration_edits

    assert transliteration_edits("liang", "lang") is None
    assert transliteration_edits("huawey", "huawei") is None


# ----------------------------------------------------------------- Hong Kong romanisation
def test_cantonese_keys_meet_hong_kong_spellings():
    pairs = {
        "陳": "CHAN", "黄": "WONG", "張": "CHEUNG", "吳": "NG", "羅": "LAW", "周": "CHOW",
        "葉": "YIP", "叶": "YIP", "江": "KONG", "謝": "TSE", "子": "TSZ", "詩": "SZE",
        "徐": "TSUI", "梁": "LEUNG", "李": "LEE", "區": "AU", "袁": "YUEN", "潘": "POON",
    }  # fmt: skip
    for char, spelling in pairs.items():
        assert cantonese.fold_latin(spelling.lower()) in cantonese.char_keys(char), char
    assert cantonese.fold_latin("chen") not in cantonese.char_keys("陳")
    assert cantonese.split_word("chiming", "志明")
    assert not cantonese.split_word("chiming", "志强")


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("CHAN Tai-man", "chan"),
        ("Tai Man Chan", "chan"),
        ("Chan Taiman", "chan"),
        ("AU Chi-kwong", "au"),
        ("黃國偉", "wong"),  # the reverse: listed in romanisation
        ("黄国伟", "wong"),
    ],
)
def test_hong_kong_romanisation(index, query, key):
    hit = found(index, query, key)
    assert hit.decision is Decision.POTENTIAL_MATCH  # below an exact pinyin reading
    assert "word_cantonese" in [r.code for r in hit.reasons]


def test_pinyin_still_beats_cantonese(index):
    assert found(index, "Chen Dawen", "chan").score == 1.0
    assert found(index, "Wang Xiaoming", "wangxm").score == 1.0


@pytest.mark.parametrize(
    "query", ["CHAN Tai-ming", "CHEUNG Tai-man", "WONG Kwok-keung", "黃國明", "LAU Chi-kwong"]
)
def test_hong_kong_near_names_stay_clear(index, query):
    assert alerts(index, query) == []


def test_index_keys_carry_cantonese_and_transliteration_keys():
    keys = name_keys(normalise_name("周美玲").tokens)
    assert {"@chau", "@mi", "@ling", "@chaumi"} <= keys
    assert "@chau" in name_keys(normalise_name("Chow Mei-ling").tokens)
    assert "tehnoplus" in name_keys(normalise_name("Tekhnoplyus").tokens)


def test_index_file_format_was_bumped_for_the_new_keys(tmp_path: Path):
    assert FORMAT_VERSION >= 2
    built = MatchIndex.build(ENTITIES)
    path = tmp_path / "variants.midx"
    with path.open("wb") as handle:
        built.write(handle)
    loaded = MatchIndex.load(path)
    assert loaded.search("CHAN Tai-man")[0].entity_key == "chan"
    assert loaded.search("Yury Zhilyaev")[0].entity_key == "zhilyaev"
    assert io.BytesIO(path.read_bytes()).read(8) == b"ICPMIDX1"


# ----------------------------------------------------------------- the labelled set
@pytest.mark.parametrize("data", ["screening_variants.json", "screening_variants_holdout.json"])
def test_variant_bench_meets_its_goal(data):
    entities, queries = screening_variants.load(screening_variants.DATA.parent / data)
    stats, failures = screening_variants.evaluate(entities, queries)
    total = stats["all"]
    assert total["recall"] >= 0.97, failures
    assert total["precision"] >= 0.95, failures
    for cls in ("place_prefix", "brackets", "russian", "hong_kong"):
        assert stats[cls]["recall"] >= 0.95, (cls, failures)
