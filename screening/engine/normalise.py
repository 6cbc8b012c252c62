"""Name normalisation: one comparable, Latin-script token form for every script.

Every name becomes a sequence of tokens. A token has a Latin comparison form (``latin``) and,
for Chinese characters, the simplified character it came from (``han``). Han text is split
into one token per character whose Latin form is its phrase-aware pinyin reading, so Chinese
names, their pinyin spellings and their Latin aliases all meet on the same token space while
Han-to-Han comparisons can still insist on the same characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from opencc import OpenCC
from pypinyin import lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict
from rapidfuzz.distance import OSA

from .places import PLACES, SUFFIXES

HAN_CHAR = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{HAN_CHAR}]+")
_HAN_ANY = re.compile(f"[{HAN_CHAR}]")
# A Han run, or a run of letters/digits/combining marks in any other script.
_CHUNK = re.compile(f"[{HAN_CHAR}]+|[^\\W_]+(?:['’][^\\W_]+)*")
_DOTTED_ABBREVIATION = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_APOSTROPHE = re.compile(r"['’]")

_T2S = OpenCC("t2s")


def _words(text: str) -> list[str]:
    """A whitespace-separated word list (keeps long vocabularies readable)."""
    return text.split()


# Low-weight words: generic industry words and place names. They still count, but a match on
# them alone cannot carry a name, and a difference on them costs less (rigour/logic-v2 idea).
LOW_WEIGHT_WORDS = frozenset(
    _words("""
    technology technologies tech science sciences scientific industrial industries industry
    trading trade international global group holding holdings enterprise enterprises
    development electronics electronic electric engineering equipment machinery materials
    logistics import export imp exp investment investments management services service
    systems system solutions manufacturing research institute university academy center
    centre bank national general new energy chemical chemicals pharmaceutical pharma metals
    keji jishu maoyi shiye guoji dianzi dianqi kexue gongye jinchukou touzi fazhan zhizao
    china chinese zhongguo beijing shanghai shenzhen guangzhou tianjin chongqing hangzhou
    nanjing wuhan chengdu xian suzhou dongguan xiamen qingdao dalian shenyang harbin
    changsha zhengzhou jinan hefei fuzhou ningbo wuxi foshan zhuhai hongkong hong kong macau
    guangdong jiangsu zhejiang shandong sichuan hubei hunan henan hebei fujian anhui liaoning
    russia moscow iran tehran korea pyongyang optoelectronics semiconductor semiconductors
    aviation aerospace instrument instruments precision software communication communications
    telecom shipping mining defense defence navigation robotics optics marine hydraulics
    composites avionics microelectronics pharmaceuticals information material and of the
    guangdian bandaoti hangkong yiqi jingmi tongxin ruanjian nengyuan cailiao xincailiao
    jixie huagong xinxi dianzi
    """)
)
# Han place names (with their 市/省 suffix) and generic industry words get low weight too.
_HAN_LOW_WORDS = _words(
    "中国 北京 上海 深圳 广州 天津 重庆 杭州 南京 武汉 成都 西安 苏州 东莞 厦门 青岛 大连 "
    "沈阳 哈尔滨 长沙 郑州 济南 合肥 福州 宁波 无锡 佛山 珠海 香港 澳门 广东 江苏 浙江 山东 "
    "四川 湖北 湖南 河南 河北 福建 安徽 辽宁 科技 技术 贸易 电子 电器 实业 国际 进出口 投资 "
    "发展 工业 机械 化工 制造 能源 物流 研究所 研究院 大学 银行"
)
_HAN_LOW = re.compile("(?:" + "|".join(_HAN_LOW_WORDS) + ")[市省]?")

# Company legal forms. Han forms are stripped as suffixes without word boundaries (Han has
# none); Latin forms are token sequences stripped from the start or the end of a name.
_HAN_LEGAL_FORMS: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "LTD"),
    ("有限责任公司", "LLC"),
    ("有限公司", "LTD"),
    ("总公司", "CO"),
    ("分公司", "BRANCH"),
    ("公司", "CO"),
    ("集团", "GROUP"),
    ("控股", "HOLDING"),
)
_LATIN_LEGAL_FORMS: dict[tuple[str, ...], str] = {
    ("public", "joint", "stock", "company"): "JSC",
    ("open", "joint", "stock", "company"): "JSC",
    ("closed", "joint", "stock", "company"): "JSC",
    ("joint", "stock", "company"): "JSC",
    ("limited", "liability", "company"): "LLC",
    ("company", "limited"): "LTD",
    ("co", "limited"): "LTD",
    ("co", "ltd"): "LTD",
    ("coltd",): "LTD",
    ("pte", "ltd"): "LTD",
    ("pty", "ltd"): "LTD",
    ("private", "limited"): "LTD",
    ("limited",): "LTD",
    ("ltd",): "LTD",
    ("llc",): "LLC",
    ("inc",): "INC",
    ("incorporated",): "INC",
    ("corp",): "CORP",
    ("corporation",): "CORP",
    ("company",): "CO",
    ("co",): "CO",
    ("gmbh",): "GMBH",
    ("ag",): "AG",
    ("sa",): "SA",
    ("sarl",): "SARL",
    ("srl",): "SRL",
    ("spa",): "SPA",
    ("bv",): "BV",
    ("nv",): "NV",
    ("plc",): "PLC",
    ("jsc",): "JSC",
    ("ojsc",): "JSC",
    ("cjsc",): "JSC",
    ("pjsc",): "JSC",
    ("oao",): "JSC",
    ("ooo",): "LLC",
    ("fze",): "FZE",
    ("fzco",): "FZE",
    ("group",): "GROUP",
    ("holding",): "HOLDING",
    ("holdings",): "HOLDING",
}
_PINYIN_LEGAL_FORMS = {
    "gu fen you xian gong si": "LTD",
    "you xian ze ren gong si": "LLC",
    "you xian gong si": "LTD",
    "zong gong si": "CO",
    "fen gong si": "BRANCH",
    "gong si": "CO",
    "ji tuan": "GROUP",
    "kong gu": "HOLDING",
}


def _spellings(syllables: list[str]) -> list[tuple[str, ...]]:
    """Every way of writing syllables as words: "you xian", "youxian", ..."""
    if len(syllables) == 1:
        return [(syllables[0],)]
    rest = _spellings(syllables[1:])
    joined = [(syllables[0] + r[0], *r[1:]) for r in rest]
    return [(syllables[0], *r) for r in rest] + joined


for _form, _code in _PINYIN_LEGAL_FORMS.items():
    for _spelling in _spellings(_form.split()):
        _LATIN_LEGAL_FORMS.setdefault(_spelling, _code)
# Russian forms that collide with pinyin syllables (zao, pao, ao) are only stripped in Cyrillic.
_CYRILLIC_LEGAL_FORMS = {"ооо": "LLC", "оао": "JSC", "зао": "JSC", "пао": "JSC", "ао": "JSC"}
# Their Latin spellings are stripped only when the rest of the name is not all pinyin.
_RUSSIAN_SHORT_FORMS = {"ao": "JSC", "zao": "JSC", "pao": "JSC"}
_MAX_FORM_LEN = max(len(form) for form in _LATIN_LEGAL_FORMS)


def _pinyin_syllables() -> frozenset[str]:
    syllables = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFKD", reading)
            plain = "".join(c for c in plain if c.isascii() and c.isalpha()).lower()
            if plain:
                syllables.add(plain)
    return frozenset(syllables)


PINYIN_SYLLABLES = _pinyin_syllables()
_MAX_SYLLABLE = max(len(s) for s in PINYIN_SYLLABLES)


@lru_cache(maxsize=65536)
def split_pinyin(word: str) -> tuple[str, ...] | None:
    """Split a joined pinyin word ("huaweijishu") into syllables, fewest syllables first.

    Returns None when the word is not entirely pinyin.
    """
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for start in range(n - 1, -1, -1):
        for end in range(min(n, start + _MAX_SYLLABLE), start, -1):
            rest = best[end]
            if rest is not None and word[start:end] in PINYIN_SYLLABLES:
                candidate = (word[start:end], *rest)
                current = best[start]
                if current is None or len(candidate) < len(current):
                    best[start] = candidate
    return best[0]


@dataclass(frozen=True, slots=True)
class Token:
    """One comparable unit of a name.

    ``latin`` is the ASCII comparison form; ``han`` is the simplified character for tokens
    taken from Chinese text (empty otherwise); ``low`` marks generic words and place names;
    ``place`` marks a place that opens a name (江苏省无锡市……, Kunming ...), which costs
    little when the other name leaves it out (it is always ``low`` too).
    """

    latin: str
    han: str = ""
    low: bool = False
    place: bool = False

    @property
    def surface(self) -> str:
        return self.han or self.latin

    @property
    def weight(self) -> float:
        base = 0.5 if self.han else 1.0
        return base * 0.6 if self.low else base


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """The comparable form of one name.

    ``tokens`` excludes legal forms (kept in ``legal_forms`` as codes such as ``LTD``);
    ``han`` is the simplified Chinese core and ``pinyin`` its reading, space-separated;
    ``joined`` is the Latin core without spaces, which makes "Hua Wei" equal "Huawei".
    """

    original: str
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t.latin for t in self.tokens)

    @property
    def han(self) -> str:
        return "".join(t.han for t in self.tokens)

    @property
    def pinyin(self) -> str:
        return " ".join(t.latin for t in self.tokens if t.han)

    @property
    def joined(self) -> str:
        return "".join(t.latin for t in self.tokens)

    @property
    def key(self) -> str:
        """Space-separated comparison form (Latin), e.g. ``hua wei ji shu``."""
        return " ".join(t.latin for t in self.tokens)

    def encode(self) -> str:
        """Compact single-string form for storage in the index (see ``decode_tokens``)."""
        return " ".join(_flag(t) + t.han + t.latin for t in self.tokens)


def _flag(token: Token) -> str:
    return "^" if token.place else "~" if token.low else ""


def decode_tokens(encoded: str) -> tuple[Token, ...]:
    """Inverse of ``NormalisedName.encode`` for the token part."""
    tokens = []
    for part in encoded.split():
        place = part[0] == "^"
        low = place or part[0] == "~"
        if low:
            part = part[1:]
        if _HAN_ANY.match(part):
            tokens.append(Token(part[1:], part[0], low, place))
        else:
            tokens.append(Token(part, "", low, place))
    return tuple(tokens)


def _strip_han_legal_forms(run: str, forms: list[str], allow_empty: bool) -> str:
    stripped = True
    while stripped:
        stripped = False
        for suffix, code in _HAN_LEGAL_FORMS:
            if run.endswith(suffix) and (allow_empty or len(run) > len(suffix)):
                run = run[: -len(suffix)]
                forms.append(code)
                stripped = True
                break
    return run


_PLACE_LENGTHS = sorted({len(p) for p in PLACES}, reverse=True)
# Pinyin of the places, for Latin names that open with one ("Kunming Xingrui ...").
LATIN_PLACES = frozenset(
    joined for place in PLACES if len(joined := "".join(lazy_pinyin(place))) >= 5
) | {"shaanxi", "hongkong", "macao"}


def place_prefix(run: str) -> int:
    """Length of the run of places (with their 省/市/区 suffixes) opening ``run``, if at
    least two characters are left after it; else 0."""
    position = 0
    for _ in range(3):
        end = next(
            (position + n for n in _PLACE_LENGTHS if run[position : position + n] in PLACES), 0
        )
        if not end:
            break
        suffix = next((x for x in SUFFIXES if run.startswith(x, end)), "")
        end += len(suffix)
        if len(run) - end < 2:
            break
        position = end
    return position


def _han_tokens(run: str, leading: bool) -> list[Token]:
    low_positions: set[int] = set()
    for low in _HAN_LOW.finditer(run):
        low_positions.update(range(low.start(), low.end()))
    places = place_prefix(run) if leading else 0
    readings = lazy_pinyin(run, v_to_u=True)
    return [
        Token(reading.replace("ü", "u"), char, i in low_positions or i < places, i < places)
        for i, (char, reading) in enumerate(zip(run, readings, strict=True))
    ]


def _latin_words(chunk: str, forms: list[str]) -> list[str]:
    chunk = _APOSTROPHE.sub("", chunk)
    if chunk in _CYRILLIC_LEGAL_FORMS:
        forms.append(_CYRILLIC_LEGAL_FORMS[chunk])
        return []
    if not chunk.isascii():
        chunk = anyascii(chunk).lower()
    return re.findall(r"[a-z0-9]+", chunk)


# Long one-word forms, also recognised with one typo ("Corporaton", "Limted").
_FUZZY_LEGAL_FORMS = {
    k[0]: v for k, v in _LATIN_LEGAL_FORMS.items() if len(k) == 1 and len(k[0]) >= 6
}
# Joined pinyin forms ending a joined pinyin word ("jinlikejiyouxiangongsi").
_PINYIN_SUFFIXES = sorted(
    ((f.replace(" ", ""), code) for f, code in _PINYIN_LEGAL_FORMS.items()),
    key=lambda item: -len(item[0]),
)


def _legal_form(words: tuple[str, ...]) -> str | None:
    code = _LATIN_LEGAL_FORMS.get(words)
    if code is None and len(words) == 1 and len(words[0]) >= 6:
        for form, form_code in _FUZZY_LEGAL_FORMS.items():
            if abs(len(form) - len(words[0])) <= 1 and OSA.distance(form, words[0]) <= 1:
                return form_code
    return code


def _strip_latin_legal_forms(words: list[str], forms: list[str]) -> tuple[int, int]:
    """Strip legal-form word sequences at either end, in place; keep the name if nothing else
    is left. Returns the (start, end) slice of the words kept."""
    start, end = 0, len(words)
    changed = True
    while changed and end - start > 1:
        changed = False
        for size in range(min(_MAX_FORM_LEN, end - start - 1), 0, -1):
            code = _legal_form(tuple(words[end - size : end]))
            if code is not None:
                end -= size
            else:
                code = _legal_form(tuple(words[start : start + size]))
                if code is not None:
                    start += size
            if code is not None:
                forms.append(code)
                changed = True
                break
    if end - start > 1:
        for position in (start, end - 1):
            code = _RUSSIAN_SHORT_FORMS.get(words[position])
            others = words[start:position] + words[position + 1 : end]
            if code and any(len(w) >= 4 and not split_pinyin(w) for w in others):
                if position == start:
                    start += 1
                else:
                    end -= 1
                forms.append(code)
                break
    stripped = end > start
    while stripped:
        stripped = False
        last = words[end - 1]
        for suffix, code in _PINYIN_SUFFIXES:
            if last.endswith(suffix) and len(last) > len(suffix) + 1:
                rest = last[: -len(suffix)]
                if split_pinyin(rest):
                    words[end - 1] = rest
                    forms.append(code)
                    stripped = True
                    break
    return start, end


def _has_han(items: list[list[Token] | str]) -> bool:
    return any(not isinstance(item, str) for item in items)


def normalise_name(text: str) -> NormalisedName:
    """Normalise a name in any script (see the module docstring)."""
    clean = unicodedata.normalize("NFKC", text).casefold()
    if _HAN_ANY.search(clean):
        clean = _T2S.convert(clean)
    clean = _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), clean)
    clean = clean.replace("&", " and ")
    forms: list[str] = []
    # Sequence of items: a list of Han tokens for a Han run, or a Latin word.
    items: list[list[Token] | str] = []
    chunks = _CHUNK.findall(clean)
    # Legal forms close the Han text, also across brackets: 华腾装备（集团）股份有限公司.
    for index in range(len(chunks) - 1, -1, -1):
        if not _HAN_RUN.fullmatch(chunks[index]):
            break
        chunks[index] = _strip_han_legal_forms(chunks[index], forms, allow_empty=index > 0)
        if chunks[index]:
            break
    for chunk in chunks:
        if not chunk:
            continue
        if _HAN_RUN.fullmatch(chunk):
            # Only company names have a place prefix: one with a legal form, or one too
            # long for a personal name (昆明星瑞光电), never 金华明 or 安康明华.
            company = bool(forms) or len(chunk) >= 5
            items.append(_han_tokens(chunk, leading=not items and company))
        else:
            items.extend(_latin_words(chunk, forms))
    words = [item for item in items if isinstance(item, str)]
    start, end = _strip_latin_legal_forms(words, forms) if words else (0, 0)
    tokens: list[Token] = []
    word_index = 0
    for item in items:
        if isinstance(item, str):
            if start <= word_index < end:
                word = words[word_index]
                # A leading place (up to three words, one distinctive word left after it).
                place = (
                    word in LATIN_PLACES
                    and word_index - start < 3
                    and all(w in LATIN_PLACES for w in words[start:word_index])
                    and end - word_index > 1
                    and not _has_han(items)
                    # a company name ("Kunming Xingrui Guangdian Co., Ltd."), never a person
                    # whose given name is a city ("Xinyu Zhang")
                    and (
                        bool(forms)
                        or any(w in LOW_WEIGHT_WORDS for w in words[word_index + 1 : end])
                    )
                )
                tokens.append(Token(word, "", place or word in LOW_WEIGHT_WORDS, place))
            word_index += 1
        else:
            tokens.extend(item)
    return NormalisedName(text, tuple(tokens), tuple(dict.fromkeys(forms)))
