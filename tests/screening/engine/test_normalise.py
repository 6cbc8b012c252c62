"""Normalisation: legal forms, width, scripts, pinyin readings, spacing."""

import pytest

from screening.engine import normalise_name
from screening.engine.normalise import split_pinyin


@pytest.mark.parametrize(
    ("text", "words", "forms"),
    [
        ("HUAWEI TECHNOLOGIES CO., LTD.", ("huawei", "technologies"), ("LTD",)),
        ("Siemens AG", ("siemens",), ("AG",)),
        ("Acme Trading GmbH", ("acme", "trading"), ("GMBH",)),
        ("Nestlé S.A.", ("nestle",), ("SA",)),
        ("OOO Gazprom", ("gazprom",), ("LLC",)),
        ("Rostec Joint Stock Company", ("rostec",), ("JSC",)),
        ("Deahonal Defense Corporaton", ("deahonal", "defense"), ("CORP",)),
        ("Huawei Jishu Youxian Gongsi", ("huawei", "jishu"), ("LTD",)),
        ("Huaweijishuyouxiangongsi", ("huaweijishu",), ("LTD",)),
    ],
)
def test_latin_legal_forms_are_stripped_and_recorded(text, words, forms):
    name = normalise_name(text)
    assert name.words == words
    assert name.legal_forms == forms


@pytest.mark.parametrize(
    ("text", "han", "forms"),
    [
        ("华为技术有限公司", "华为技术", ("LTD",)),
        ("重庆银行股份有限公司", "重庆银行", ("LTD",)),
        ("中兴通讯有限责任公司", "中兴通讯", ("LLC",)),
        ("海尔集团公司", "海尔", ("CO", "GROUP")),
        ("华为技术（深圳）有限公司", "华为技术深圳", ("LTD",)),
    ],
)
def test_chinese_legal_forms_are_stripped_without_word_boundaries(text, han, forms):
    name = normalise_name(text)
    assert name.han == han
    assert name.legal_forms == forms


def test_a_name_that_is_only_a_legal_form_is_kept():
    assert normalise_name("Limited").words == ("limited",)


def test_fullwidth_and_case_are_folded():
    assert normalise_name("ＨＵＡＷＥＩ　Ｔｅｃｈ").words == ("huawei", "tech")


def test_traditional_becomes_simplified():
    assert normalise_name("華為技術有限公司").han == "华为技术"
    assert normalise_name("臺灣積體電路製造").han == "台湾积体电路制造"


@pytest.mark.parametrize(
    ("text", "pinyin"),
    [
        ("重庆", "chong qing"),
        ("银行", "yin hang"),
        ("长沙", "chang sha"),
        ("厦门", "xia men"),
        ("华为技术有限公司", "hua wei ji shu"),
    ],
)
def test_pinyin_uses_phrase_readings(text, pinyin):
    assert normalise_name(text).pinyin == pinyin


def test_other_scripts_become_latin():
    assert normalise_name("ООО Рособоронэкспорт").words == ("rosoboroneksport",)
    assert normalise_name("Müller").words == ("muller",)


def test_spacing_is_removed_in_the_joined_form():
    assert normalise_name("Hua Wei").joined == normalise_name("Huawei").joined == "huawei"
    assert normalise_name("华为").joined == "huawei"


def test_pinyin_splitter_prefers_fewest_syllables_and_rejects_english():
    assert split_pinyin("huaweijishu") == ("hua", "wei", "ji", "shu")
    assert split_pinyin("xian") == ("xian",)
    assert split_pinyin("technologies") is None


def test_generic_words_and_places_have_low_weight():
    tokens = normalise_name("深圳市大疆创新科技有限公司").tokens
    low = {t.han for t in tokens if t.low}
    assert low == {"深", "圳", "市", "科", "技"}
    assert {t.han for t in tokens if not t.low} == {"大", "疆", "创", "新"}
