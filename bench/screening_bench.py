"""Benchmark of the screening engine against a brute-force rapidfuzz scan.

Generates a synthetic restricted-party list (Latin companies and persons, Chinese companies
and persons in simplified and traditional script with pinyin and English aliases, Cyrillic,
Arabic and Korean names) and queries with known answers: true variants (typos, word order,
spacing, legal-form changes, traditional/simplified swaps, pinyin of Chinese names, a missing
word) and names that must not match (near misses built from held-out words, unlisted names).

    .venv/bin/python bench/screening_bench.py [--entities 100000] [--queries 10000] [--seed 1]
        [--brute-queries 500] [--threshold 0.85] [--json PATH]
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from opencc import OpenCC
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screening.engine import (
    DEFAULT_THRESHOLD,
    REVIEW_FLOOR,
    Alias,
    ListEntity,
    MatchIndex,
    normalise_name,
)

_S2T = OpenCC("s2t")


def _words(text: str) -> list[str]:
    return text.split()


ONSETS = _words("b c d f g h k l m n p r s t v z br cr dr gr kr pr tr st sk ch sh th vl")
VOWELS = _words("a e i o u a e o ai ea io ou")
CODAS = ["", "", "n", "r", "s", "x", "l", "m", "nt", "rk", "st", "v"]
INDUSTRY_EN = _words(
    "Technology Electronics Trading Machinery Chemical Logistics Aerospace Semiconductor "
    "Precision Instruments Optics Materials Energy Shipping Engineering Systems Industrial "
    "International Software Microelectronics Defense Navigation Pharmaceutical Metals Mining "
    "Robotics Telecom Avionics Composites Hydraulics Marine"
)
PLACES_EN = _words(
    "Shenzhen Beijing Shanghai Moscow Tehran Dubai Minsk Istanbul Almaty Tashkent Karachi "
    "Singapore Yerevan Baku Novosibirsk Kazan Tianjin Xiamen"
)
LEGAL_EN = [
    "Co., Ltd.",
    "Limited",
    "LLC",
    "Inc.",
    "Corp.",
    "GmbH",
    "JSC",
    "OOO",
    "S.A.",
    "FZE",
    "PLC",
    "Company Limited",
    "Corporation",
]
GIVEN_EN = _words(
    "John James Robert Michael William David Richard Joseph Thomas Charles Daniel Matthew "
    "Anthony Mark Steven Paul Andrew Joshua Kevin Brian George Edward Ronald Timothy Jason "
    "Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon "
    "Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron "
    "Henry Adam Douglas Nathan Peter Zachary Kyle Walter Harold Jeremy Ethan Carl Keith "
    "Roger Gerald Christian Terry Sean Arthur Austin Noah Lawrence Jesse Joe Bryan Billy "
    "Jordan Albert Dylan Bruce Willie Gabriel Alan Juan Logan Wayne Ralph Roy Eugene Randy "
    "Vincent Russell Louis Philip Bobby Johnny Bradley Mary Patricia Jennifer Linda Elizabeth "
    "Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra Ashley Kimberly "
    "Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca Sharon "
    "Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela Nicole Samantha "
    "Katherine Emma Ruth Christine Catherine Debra Rachel Carolyn Janet Virginia Maria "
    "Heather Diane Julie Joyce Victoria Kelly Christina Joan Evelyn Lauren Judith Olivia "
    "Ivan Dmitry Sergei Andrei Alexei Mikhail Nikolai Vladimir Yuri Oleg Pavel Viktor Igor "
    "Boris Anatoly Grigory Konstantin Leonid Maxim Roman Stanislav Vadim Vitaly Yevgeny "
    "Ahmad Mohammad Ali Hassan Hossein Reza Mahmoud Mostafa Karim Omar Yusuf Ibrahim Khalid "
    "Tariq Faisal Hamid Javad Majid Nasser Saeed Walid Farid Jamal Rashid Said Amir Bashir"
)
SURNAME_SUFFIXES = ["ov", "ova", "enko", "ski", "ian", "zadeh", "i", "son", "ez", "escu", "oglu"]
HAN_BRAND_POOL = (
    "华中兴海龙天宏鑫瑞泰恒达盛通博远信源金光明新东方安凯嘉航晶辉联创智德昌隆祥和丰腾云星"
    "宇精科峰锐威力鼎伟迪捷卓越润华永佳康宁美亚豪华振江河山林松柏青蓝红紫银铜铁钢石玉珠"
    "宝福寿喜乐平顺兴盈益润泽惠民建业长城国际环球万千百方圆正大华夏神州中原南北西锦绣"
)
HAN_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
HAN_GIVEN_POOL = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣佳雪琳晨阳"
HAN_PLACES = ["深圳市", "北京", "上海", "广州市", "天津", "西安", "成都", "武汉", "南京", "杭州"]
HAN_INDUSTRY = {
    "科技": "Technology",
    "电子": "Electronics",
    "贸易": "Trading",
    "机械": "Machinery",
    "化工": "Chemical",
    "光电": "Optoelectronics",
    "精密仪器": "Precision Instruments",
    "航空": "Aviation",
    "半导体": "Semiconductor",
    "通信": "Communication",
    "新材料": "New Materials",
    "进出口": "Import and Export",
    "信息技术": "Information Technology",
    "软件": "Software",
    "能源": "Energy",
}
HAN_LEGAL = {
    "有限公司": "Co., Ltd.",
    "股份有限公司": "Co., Ltd.",
    "有限责任公司": "Co., Ltd.",
    "集团有限公司": "Group Co., Ltd.",
}
CYRILLIC = dict(
    zip(
        _words("a b v g d e z i k l m n o p r s t u f h c"),
        _words("а б в г д е з и к л м н о п р с т у ф х ц"),
        strict=True,
    )
)
CYRILLIC.update({"ch": "ч", "sh": "ш", "x": "кс", "y": "ы", "j": "дж", "w": "в", "zh": "ж"})
ARABIC_NAMES = {
    "محمد": "Mohammed",
    "علي": "Ali",
    "حسن": "Hassan",
    "حسين": "Hussein",
    "أحمد": "Ahmed",
    "عمر": "Omar",
    "خالد": "Khalid",
    "يوسف": "Yousef",
    "إبراهيم": "Ibrahim",
    "عبدالله": "Abdullah",
    "سعيد": "Saeed",
    "كريم": "Karim",
    "جمال": "Jamal",
    "ناصر": "Nasser",
    "رشيد": "Rashid",
    "فيصل": "Faisal",
}
KOREAN_FAMILY = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang"}
KOREAN_GIVEN = {
    "민수": "Min-su",
    "지훈": "Ji-hoon",
    "서연": "Seo-yeon",
    "영호": "Young-ho",
    "성민": "Sung-min",
    "현우": "Hyun-woo",
    "은지": "Eun-ji",
    "동현": "Dong-hyun",
    "재원": "Jae-won",
    "상철": "Sang-chul",
}
GENERIC_WORDS = {*INDUSTRY_EN, *PLACES_EN, *(w for v in HAN_INDUSTRY.values() for w in v.split())}
COUNTRIES = ["CN", "RU", "IR", "AE", "BY", "TR", "KZ", "KP", "SY", "PK", "HK", "SG"]


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    country: str | None
    expected: str | None  # entity key, or None for a name that must not match
    kind: str


@dataclass
class Dataset:
    entities: list[ListEntity]
    queries: list[Query]


def _latin_word(rng: random.Random, syllables: int) -> str:
    parts = []
    for i in range(syllables):
        parts.append(rng.choice(ONSETS) + rng.choice(VOWELS))
        if i == syllables - 1:
            parts.append(rng.choice(CODAS))
    return "".join(parts).capitalize()


def _to_cyrillic(word: str) -> str:
    out, i, lower = "", 0, word.lower()
    while i < len(lower):
        pair = lower[i : i + 2]
        if pair in CYRILLIC:
            out, i = out + CYRILLIC[pair], i + 2
        else:
            out, i = out + CYRILLIC.get(lower[i], lower[i]), i + 1
    return out.capitalize()


def _pinyin_words(han: str) -> list[str]:
    return lazy_pinyin(han, v_to_u=True)


def _cap(syllables: list[str]) -> str:
    return "".join(syllables).replace("ü", "u").capitalize()


class _Generator:
    """Builds unique entities; held-out words feed the negative queries."""

    def __init__(self, seed: int, entities: int) -> None:
        self.rng = random.Random(seed)
        self.keys: set[str] = set()
        self.han_brands: set[str] = set()
        pool = max(3000, entities)
        brands: set[str] = set()
        while len(brands) < pool:
            brands.add(_latin_word(self.rng, self.rng.choice((2, 2, 3))))
        self.brands = sorted(brands)
        self.rng.shuffle(self.brands)
        cut = int(len(self.brands) * 0.9)
        self.listed_brands, self.held_brands = self.brands[:cut], self.brands[cut:]
        self.held_brands = self._far_from(self.held_brands[:1500], self.listed_brands)
        surnames: set[str] = set()
        while len(surnames) < pool // 2:
            surnames.add(_latin_word(self.rng, 2) + self.rng.choice(SURNAME_SUFFIXES))
        self.surnames = sorted(surnames)
        self.rng.shuffle(self.surnames)
        cut = int(len(self.surnames) * 0.9)
        self.listed_surnames = self.surnames[:cut]
        self.held_surnames = self._far_from(self.surnames[cut:][:1000], self.listed_surnames)
        pool = sorted(set(HAN_BRAND_POOL))
        self.rng.shuffle(pool)
        self.han_listed = pool[: len(pool) * 3 // 4]
        listed_readings = {r for c in self.han_listed for r in lazy_pinyin(c)}
        self.han_held = [
            c for c in pool[len(pool) * 3 // 4 :] if lazy_pinyin(c)[0] not in listed_readings
        ]

    @staticmethod
    def _far_from(words: list[str], listed: list[str]) -> list[str]:
        """Keep held-out words at least 3 edits away from every listed word."""
        lowered = [w.lower() for w in listed]
        return [
            w
            for w in words
            if process.extractOne(w.lower(), lowered, scorer=Levenshtein.distance, score_cutoff=2)
            is None
        ]

    def _unique(self, *names: str) -> bool:
        keys = {normalise_name(n).joined for n in names}
        if keys & self.keys:
            return False
        self.keys.update(keys)
        return True

    def _brand(self) -> str:
        """A listed brand used by one entity only."""
        return self.listed_brands.pop()

    def _surname(self) -> str:
        return self.listed_surnames.pop()

    def latin_company(self, key: str) -> ListEntity | None:
        rng = self.rng
        brand = self._brand()
        words = [brand, *rng.sample(INDUSTRY_EN, rng.choice((1, 1, 2)))]
        if rng.random() < 0.3:
            words.insert(0, rng.choice(PLACES_EN))
        primary = " ".join(words) + " " + rng.choice(LEGAL_EN)
        names = [Alias(primary)]
        if rng.random() < 0.6:
            names.append(Alias(" ".join(words).upper() + " " + rng.choice(LEGAL_EN).upper()))
        if rng.random() < 0.5:
            names.append(Alias(f"{_latin_word(rng, 2)} {words[-1]} {rng.choice(LEGAL_EN)}"))
        if rng.random() < 0.08:
            names.append(Alias("".join(w[0] for w in words).upper(), weak=True))
        if not self._unique(*(a.text for a in names if not a.weak)):
            return None
        return ListEntity(key, names, "organization", (rng.choice(COUNTRIES),))

    def latin_person(self, key: str) -> ListEntity | None:
        rng = self.rng
        given, family = rng.choice(GIVEN_EN), self._surname()
        middle = rng.choice(GIVEN_EN) if rng.random() < 0.3 else None
        full = f"{given} {middle} {family}" if middle else f"{given} {family}"
        names = [Alias(full), Alias(f"{family.upper()}, {given}")]
        if rng.random() < 0.4:
            names.append(Alias(f"{given[0]}. {family}", weak=True))
        if not self._unique(full):
            return None
        return ListEntity(key, names, "person", (rng.choice(COUNTRIES),))

    def han_company(self, key: str) -> ListEntity | None:
        rng = self.rng
        brand = "".join(rng.sample(self.han_listed, rng.choice((2, 3))))
        brand_pinyin = "".join(_pinyin_words(brand))
        if brand_pinyin in self.han_brands:
            return None
        self.han_brands.add(brand_pinyin)
        place = rng.choice(HAN_PLACES)
        industry = rng.choice(list(HAN_INDUSTRY))
        legal = rng.choice(list(HAN_LEGAL))
        han = place + brand + industry + legal
        place_py = _cap(_pinyin_words(place.removesuffix("市")))
        english = (
            f"{place_py} {_cap(_pinyin_words(brand))} {HAN_INDUSTRY[industry]} {HAN_LEGAL[legal]}"
        )
        names = [Alias(han, lang="zh"), Alias(english, lang="en")]
        if rng.random() < 0.5:
            names.append(Alias(_S2T.convert(han), lang="zh-Hant"))
        if rng.random() < 0.4:
            pinyin = " ".join(_cap(_pinyin_words(w)) for w in (place, brand, industry, legal))
            names.append(Alias(pinyin, lang="zh-Latn"))
        if not self._unique(place + brand + industry, english):
            return None
        return ListEntity(key, names, "organization", ("CN",))

    def han_person(self, key: str) -> ListEntity | None:
        rng = self.rng
        family = rng.choice(HAN_SURNAMES)
        given = "".join(rng.sample(HAN_GIVEN_POOL, rng.choice((1, 2, 2))))
        han = family + given
        py_family, py_given = _cap(_pinyin_words(family)), _cap(_pinyin_words(given))
        names = [Alias(han, lang="zh"), Alias(f"{py_family} {py_given}")]
        if rng.random() < 0.5:
            names.append(Alias(f"{py_family.upper()} {' '.join(_pinyin_words(given)).title()}"))
        if not self._unique(han, f"{py_family} {py_given}"):
            return None
        return ListEntity(key, names, "person", (rng.choice(("CN", "HK")),))

    def other_script(self, key: str) -> ListEntity | None:
        rng = self.rng
        kind = rng.random()
        if kind < 0.4:
            brand = self._brand()
            names = [Alias(f"ООО «{_to_cyrillic(brand)}»", lang="ru"), Alias(f"{brand} LLC")]
            entity_type, country = "organization", "RU"
        elif kind < 0.7:
            first, second = rng.sample(list(ARABIC_NAMES), 2)
            family = self._surname()
            names = [
                Alias(f"{first} {second} {family}", lang="ar"),
                Alias(f"{ARABIC_NAMES[first]} {ARABIC_NAMES[second]} {family}"),
            ]
            entity_type, country = "person", rng.choice(("IR", "SY", "AE"))
        else:
            family, given = rng.choice(list(KOREAN_FAMILY)), rng.choice(list(KOREAN_GIVEN))
            brand = self._brand()
            names = [
                Alias(f"{family}{given} {brand}", lang="ko"),
                Alias(f"{KOREAN_FAMILY[family]} {KOREAN_GIVEN[given]} {brand}"),
            ]
            entity_type, country = "person", "KP"
        if not self._unique(names[-1].text):
            return None
        return ListEntity(key, names, entity_type, (country,))

    def entity(self, key: str) -> ListEntity:
        while True:
            roll = self.rng.random()
            if roll < 0.35:
                made = self.latin_company(key)
            elif roll < 0.60:
                made = self.latin_person(key)
            elif roll < 0.85:
                made = self.han_company(key)
            elif roll < 0.93:
                made = self.han_person(key)
            else:
                made = self.other_script(key)
            if made is not None:
                return made


# ----------------------------------------------------------------- query variants
def _typo(rng: random.Random, text: str) -> str | None:
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isascii() and w.isalpha()]
    if not long_words:
        return None
    i = rng.choice(long_words)
    w = words[i]
    p = rng.randrange(1, len(w) - 1)
    op = rng.choice(("sub", "del", "ins", "swap"))
    letter = rng.choice("aeioulnrst")
    if op == "sub":
        w = w[:p] + letter + w[p + 1 :]
    elif op == "del":
        w = w[:p] + w[p + 1 :]
    elif op == "ins":
        w = w[:p] + letter + w[p:]
    else:
        w = w[: p - 1] + w[p] + w[p - 1] + w[p + 1 :]
    words[i] = w
    return " ".join(words)


PINYIN_LEGAL = ["Youxiangongsi", "Gufenyouxiangongsi", "Youxianzerengongsi", "Jituanyouxiangongsi"]


def _strip_legal(text: str) -> str:
    for form in sorted(LEGAL_EN + PINYIN_LEGAL + ["Group Co., Ltd."], key=len, reverse=True):
        if text.endswith(" " + form) or text.endswith(" " + form.upper()):
            return text[: -len(form) - 1]
    return text


def _variant(rng: random.Random, entity: ListEntity) -> tuple[str, str] | None:
    strong = [a for a in entity.names if not a.weak]
    latin = [a.text for a in strong if a.text.isascii()]
    han = [a.text for a in strong if a.lang in ("zh", "zh-Hant")]
    kind = rng.choice(
        ("exact", "typo", "typo", "order", "spacing", "legal", "script", "pinyin", "missing")
    )
    if kind == "exact":
        return rng.choice(strong).text, kind
    if kind == "typo" and latin:
        typo = _typo(rng, rng.choice(latin))
        return (typo, kind) if typo else None
    if kind == "order" and latin:
        words = _strip_legal(rng.choice(latin)).replace(",", "").split()
        if len(words) < 2:
            return None
        words = words[1:] + words[:1]
        return " ".join(words), kind
    if kind == "spacing" and latin:
        words = _strip_legal(rng.choice(latin)).split()
        if len(words) >= 2 and rng.random() < 0.5:
            i = rng.randrange(len(words) - 1)
            words[i : i + 2] = [words[i] + words[i + 1].lower()]
        else:
            i = max(range(len(words)), key=lambda j: len(words[j]))
            if len(words[i]) < 6:
                return None
            cut = len(words[i]) // 2
            words[i : i + 1] = [words[i][:cut], words[i][cut:]]
        return " ".join(words), kind
    if kind == "legal" and latin:
        return _strip_legal(rng.choice(latin)) + " " + rng.choice(LEGAL_EN), kind
    if kind == "script" and han:
        text = rng.choice(han)
        return (_S2T.convert(text) if entity.names[0].text == text else entity.names[0].text), kind
    if kind == "pinyin" and han:
        syllables = _pinyin_words(han[0])
        if rng.random() < 0.5:
            return " ".join(s.capitalize() for s in syllables), kind
        return _cap(syllables[:2]) + " " + _cap(syllables[2:]), kind
    if kind == "missing" and latin:
        words = _strip_legal(rng.choice(latin)).split()
        generic = [i for i, w in enumerate(words) if w.title() in GENERIC_WORDS]
        if len(words) < 3 or not generic:
            return None
        del words[rng.choice(generic)]
        return " ".join(words), kind
    return None


def _negative(gen: _Generator) -> tuple[str, str]:
    rng = gen.rng
    roll = rng.random()
    if roll < 0.3:
        brand = rng.choice(gen.held_brands)
        words = [brand, *rng.sample(INDUSTRY_EN, rng.choice((1, 2)))]
        return " ".join(words) + " " + rng.choice(LEGAL_EN), "unlisted_company"
    if roll < 0.5:
        given = rng.choice(GIVEN_EN)
        return f"{given} {rng.choice(gen.held_surnames)}", "unlisted_person"
    if roll < 0.8:
        place, industry = rng.choice(HAN_PLACES), rng.choice(list(HAN_INDUSTRY))
        brand = "".join(rng.sample(gen.han_held, 2))
        return place + brand + industry + rng.choice(list(HAN_LEGAL)), "unlisted_chinese"
    brand = rng.choice(gen.held_brands)
    near = f"{rng.choice(PLACES_EN)} {brand} {rng.choice(INDUSTRY_EN)} {rng.choice(LEGAL_EN)}"
    return near, "near_miss_company"


def generate(entities: int, queries: int, seed: int = 1) -> Dataset:
    """Synthetic list and labelled queries (about 60 % true variants, 40 % non-matches)."""
    gen = _Generator(seed, entities)
    listed = [gen.entity(f"E{i:06d}") for i in range(entities)]
    rng = gen.rng
    out: list[Query] = []
    while len(out) < queries:
        if rng.random() < 0.6:
            entity = rng.choice(listed)
            made = _variant(rng, entity)
            if made is None:
                continue
            text, kind = made
            country = entity.countries[0] if rng.random() < 0.3 else None
            out.append(Query(text, country, entity.key, kind))
        else:
            text, kind = _negative(gen)
            if normalise_name(text).joined in gen.keys:
                continue
            country = rng.choice(COUNTRIES) if rng.random() < 0.3 else None
            out.append(Query(text, country, None, kind))
    return Dataset(listed, out)


# --------------------------------------------------------------------- evaluation
def precision_recall(
    results: list[dict[str, float]], queries: list[Query], threshold: float
) -> dict[str, float]:
    """Alert-level precision and query-level recall at ``threshold``."""
    true_alerts = false_alerts = positives = 0
    for scores, query in zip(results, queries, strict=True):
        alerts = {key for key, score in scores.items() if score >= threshold}
        if query.expected is not None:
            positives += 1
            true_alerts += query.expected in alerts
        false_alerts += len(alerts - {query.expected})
    total = true_alerts + false_alerts
    return {
        "precision": true_alerts / total if total else 1.0,
        "recall": true_alerts / positives if positives else 1.0,
        "false_alerts": false_alerts,
    }


_INDEX: MatchIndex | None = None


def _search_all(texts: list[tuple[str, str | None]]) -> list[dict[str, float]]:
    assert _INDEX is not None
    return [
        {h.entity_key: h.score for h in _INDEX.search(t, country=c, threshold=REVIEW_FLOOR)}
        for t, c in texts
    ]


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _latency_stats(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p95_ms": 1000 * ordered[int(len(ordered) * 0.95)],
        "mean_ms": 1000 * statistics.fmean(ordered),
    }


def run_engine(
    data: Dataset, threshold: float, workers: int = 2
) -> tuple[dict[str, object], list[dict[str, float]]]:
    """Build the index, search every query; return figures and per-query scores."""
    global _INDEX
    gc.collect()
    rss_before = _rss_bytes()
    started = time.perf_counter()
    _INDEX = MatchIndex.build(data.entities)
    build_s = time.perf_counter() - started
    gc.collect()
    rss_delta = _rss_bytes() - rss_before
    texts = [(q.text, q.country) for q in data.queries]
    latencies, results = [], []
    for text, country in texts:
        started = time.perf_counter()
        hits = _INDEX.search(text, country=country, threshold=REVIEW_FLOOR)
        latencies.append(time.perf_counter() - started)
        results.append({h.entity_key: h.score for h in hits})
    started = time.perf_counter()
    if workers > 1:
        chunks = [texts[i::workers] for i in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.map(_search_all, chunks)
    else:
        _search_all(texts)
    parallel_s = time.perf_counter() - started
    figures: dict[str, object] = {
        "oracle_recall": _oracle_recall(data, threshold),
        "aliases": len(_INDEX._alias_code),
        "build_s": build_s,
        "index_rss_mb": rss_delta / 2**20,
        "index_flat_mb": _INDEX.nbytes() / 2**20,
        **_latency_stats(latencies),
        "names_per_s_1core": len(texts) / sum(latencies),
        f"names_per_s_{workers}proc": len(texts) / parallel_s,
        **precision_recall(results, data.queries, threshold),
    }
    return figures, results


def _oracle_recall(data: Dataset, threshold: float) -> float:
    """Recall without competition for candidate slots: each positive query searches a
    one-party index holding only its expected party, so the gap to the engine's recall is
    what the ranking of candidates in the full index loses."""
    by_key = {e.key: e for e in data.entities}
    positives = [q for q in data.queries if q.expected is not None]
    found = 0
    for query in positives:
        alone = MatchIndex.build([by_key[query.expected]])
        hits = alone.search(query.text, country=query.country, threshold=threshold)
        found += any(h.score >= threshold for h in hits)
    return found / len(positives) if positives else 1.0


def run_brute_force(
    data: Dataset, sample: list[int], threshold: float
) -> tuple[dict[str, object], list[dict[str, float]]]:
    """rapidfuzz over every normalised alias: max(token_sort_ratio on words, ratio on the
    name without spaces); weak aliases only exactly."""
    owners, spaced, joined, weak = [], [], [], {}
    for entity in data.entities:
        for alias in entity.names:
            name = normalise_name(alias.text)
            if alias.weak:
                weak.setdefault(name.joined, set()).add(entity.key)
                continue
            owners.append(entity.key)
            spaced.append(name.key)
            joined.append(name.joined)
    cutoff = 100 * REVIEW_FLOOR
    latencies, results = [], []
    for i in sample:
        query = data.queries[i]
        started = time.perf_counter()
        name = normalise_name(query.text)
        scores: dict[str, float] = {}
        for choices, scorer, text in (
            (spaced, fuzz.token_sort_ratio, name.key),
            (joined, fuzz.ratio, name.joined),
        ):
            for _, score, j in process.extract(
                text, choices, scorer=scorer, limit=50, score_cutoff=cutoff
            ):
                key = owners[j]
                scores[key] = max(scores.get(key, 0.0), score / 100)
        for key in weak.get(name.joined, ()):
            scores[key] = max(scores.get(key, 0.0), 0.9)
        latencies.append(time.perf_counter() - started)
        results.append(scores)
    figures: dict[str, object] = {
        "queries": len(sample),
        **_latency_stats(latencies),
        "names_per_s_1core": len(sample) / sum(latencies),
        **precision_recall(results, [data.queries[i] for i in sample], threshold),
    }
    return figures, results


def per_kind_recall(
    results: list[dict[str, float]], queries: list[Query], threshold: float
) -> dict[str, float]:
    by_kind: dict[str, list[int]] = {}
    for scores, query in zip(results, queries, strict=True):
        if query.expected is not None:
            hit = scores.get(query.expected, 0.0) >= threshold
        else:
            hit = not any(s >= threshold for s in scores.values())
        by_kind.setdefault(query.kind, []).append(hit)
    return {kind: sum(v) / len(v) for kind, v in sorted(by_kind.items())}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--brute-queries", type=int, default=500)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    data = generate(args.entities, args.queries, args.seed)
    print(
        f"generated {len(data.entities)} entities, {len(data.queries)} queries "
        f"in {time.perf_counter() - started:.1f}s"
    )
    engine, engine_results = run_engine(data, args.threshold, args.workers)
    rng = random.Random(args.seed)
    sample = sorted(
        rng.sample(range(len(data.queries)), min(args.brute_queries, len(data.queries)))
    )
    brute, brute_results = run_brute_force(data, sample, args.threshold)
    sampled_queries = [data.queries[i] for i in sample]
    engine_on_sample = precision_recall(
        [engine_results[i] for i in sample], sampled_queries, args.threshold
    )
    sweep = {
        f"{t:.2f}": precision_recall(engine_results, data.queries, t)
        for t in (0.75, 0.80, 0.85, 0.88, 0.90, 0.95)
    }
    report: dict[str, object] = {
        "entities": args.entities,
        "queries": args.queries,
        "seed": args.seed,
        "threshold": args.threshold,
        "engine": engine,
        "engine_on_brute_sample": engine_on_sample,
        "brute_force": brute,
        "recall_vs_brute": engine_on_sample["recall"] / brute["recall"] if brute["recall"] else 1.0,
        "threshold_sweep": sweep,
        "engine_by_kind": per_kind_recall(engine_results, data.queries, args.threshold),
        "brute_by_kind": per_kind_recall(brute_results, sampled_queries, args.threshold),
    }
    _print_report(report, args.workers)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return report


def _print_report(report: dict[str, object], workers: int) -> None:
    engine, brute = report["engine"], report["brute_force"]
    sample_pr = report["engine_on_brute_sample"]
    assert isinstance(engine, dict) and isinstance(brute, dict) and isinstance(sample_pr, dict)
    rows = [
        ("aliases", f"{engine['aliases']}", f"{engine['aliases']}"),
        ("index build (s)", f"{engine['build_s']:.1f}", "-"),
        ("index memory, RSS delta (MB)", f"{engine['index_rss_mb']:.0f}", "-"),
        ("index flat arrays (MB)", f"{engine['index_flat_mb']:.0f}", "-"),
        ("queries timed", f"{report['queries']}", f"{brute['queries']} (subsample)"),
        ("p50 latency (ms)", f"{engine['p50_ms']:.2f}", f"{brute['p50_ms']:.2f}"),
        ("p95 latency (ms)", f"{engine['p95_ms']:.2f}", f"{brute['p95_ms']:.2f}"),
        (
            "names/s, 1 process",
            f"{engine['names_per_s_1core']:.0f}",
            f"{brute['names_per_s_1core']:.1f}",
        ),
        (f"names/s, {workers} processes", f"{engine[f'names_per_s_{workers}proc']:.0f}", "-"),
        ("precision (all queries)", f"{engine['precision']:.3f}", "-"),
        ("recall (all queries)", f"{engine['recall']:.3f}", "-"),
        ("recall, one-party index (no ranking loss)", f"{engine['oracle_recall']:.3f}", "-"),
        (
            "precision (brute subsample)",
            f"{sample_pr['precision']:.3f}",
            f"{brute['precision']:.3f}",
        ),
        ("recall (brute subsample)", f"{sample_pr['recall']:.3f}", f"{brute['recall']:.3f}"),
    ]
    print(
        f"\nthreshold {report['threshold']}; brute force ran on a subsample of "
        f"{brute['queries']} queries (a full scan costs ~{brute['mean_ms']:.0f} ms per name)"
    )
    print(f"{'':40} {'engine':>12} {'brute force':>20}")
    for label, ours, theirs in rows:
        print(f"{label:40} {ours:>12} {theirs:>20}")
    print(f"engine recall / brute-force recall on the subsample: {report['recall_vs_brute']:.3f}")
    print("\nthreshold sweep (engine, all queries):")
    sweep = report["threshold_sweep"]
    assert isinstance(sweep, dict)
    for t, pr in sweep.items():
        print(
            f"  {t}: precision {pr['precision']:.3f} recall {pr['recall']:.3f} "
            f"false alerts {pr['false_alerts']}"
        )
    print("\ncorrect outcome by query kind (engine / brute subsample):")
    by_kind, brute_kind = report["engine_by_kind"], report["brute_by_kind"]
    assert isinstance(by_kind, dict) and isinstance(brute_kind, dict)
    for kind, share in by_kind.items():
        theirs = brute_kind.get(kind)
        print(f"  {kind:20} {share:.3f}   {'-' if theirs is None else f'{theirs:.3f}'}")


if __name__ == "__main__":
    main()
