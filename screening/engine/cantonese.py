"""Cantonese readings of Chinese characters, as Hong Kong romanises names.

Hong Kong writes personal names in the Hong Kong Government Cantonese Romanisation (陳大文 is
``CHAN Tai-man``, 黃 ``WONG``, 張 ``CHEUNG``, 吳 ``NG``, 葉 ``YIP``), which pinyin does not
meet (chen da wen). Each character's Jyutping reading comes from ``data/cantonese.txt``
(derived from the rime-cantonese list shipped with PyCantonese, CC BY 4.0).

The romanisation is not one-to-one: one Jyutping syllable has several customary spellings
(周 zau: CHOW or CHAU; 羅 lo: LAW or LO; 子 zi: TSZ or CHI; 梁 loeng: LEUNG), and one spelling
serves several syllables (SUN: san or syun). Both sides are therefore reduced to one *folded
key*: a Latin word through its spelling (``fold_latin``), a character through its Jyutping
(``char_keys``, a small set when a Jyutping final has two customary spellings). A word and a
character agree when the word's key is among the character's keys.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data" / "cantonese.txt"

# Jyutping initial -> folded initial (voiceless and voiced stops meet: HK writes b/d/g as p/t/k).
_JYUTPING_INITIALS = {
    "b": "p", "p": "p", "m": "m", "f": "f", "d": "t", "t": "t", "n": "n", "l": "l",
    "g": "k", "k": "k", "ng": "ng", "h": "h", "gw": "kw", "kw": "kw", "w": "w",
    "z": "ch", "c": "ch", "s": "s", "j": "y", "": "",
}  # fmt: skip
# Jyutping final -> folded finals (more than one when HK spells it two ways: am as LAM or SHUM).
_JYUTPING_FINALS: dict[str, tuple[str, ...]] = {
    "aa": ("a",), "aai": ("ai",), "aau": ("au",), "aam": ("am",), "aan": ("an",),
    "aang": ("ang",), "aap": ("ap",), "aat": ("at",), "aak": ("ak",),
    "ai": ("ai",), "au": ("au",), "am": ("am", "um"), "an": ("an", "un"), "ang": ("ang",),
    "ap": ("ap",), "at": ("at", "ut"), "ak": ("ak",),
    "e": ("e",), "ei": ("i",), "eng": ("eng",), "ek": ("ek",), "eu": ("eu",), "em": ("em",),
    "ep": ("ep",), "et": ("et",),
    "i": ("i",), "iu": ("iu",), "im": ("im",), "in": ("in",), "ing": ("ing",), "ip": ("ip",),
    "it": ("it",), "ik": ("ik",),
    "o": ("o",), "oi": ("oi",), "ou": ("o",), "on": ("on",), "ong": ("ong",), "ot": ("ot",),
    "ok": ("ok",),
    "u": ("u",), "ui": ("ui",), "un": ("un",), "ung": ("ung",), "ut": ("ut",), "uk": ("uk",),
    "oe": ("oe", "eu"), "oeng": ("eung",), "oek": ("euk",), "eoi": ("ui",), "eon": ("un",),
    "eot": ("ut",), "yu": ("u",), "yun": ("un",), "yut": ("ut",), "": ("",),
}  # fmt: skip
# Spelling of an initial in HK romanisation -> folded initial, longest first.
_LATIN_INITIALS = (
    ("ts", "ch"), ("ch", "ch"), ("sh", "s"), ("kw", "kw"), ("gw", "kw"), ("ng", "ng"),
    ("b", "p"), ("p", "p"), ("d", "t"), ("t", "t"), ("g", "k"), ("k", "k"), ("z", "ch"),
    ("c", "ch"), ("j", "y"), ("y", "y"), ("s", "s"), ("h", "h"), ("f", "f"), ("l", "l"),
    ("m", "m"), ("n", "n"), ("w", "w"), ("", ""),
)  # fmt: skip
# Spelling of a final in HK romanisation -> folded final.
_LATIN_FINALS = {
    "a": "a", "ah": "a", "aa": "a", "ai": "ai", "aai": "ai", "ay": "ai",
    "au": "au", "ow": "au", "aau": "au", "am": "am", "aam": "am", "um": "um",
    "an": "an", "aan": "an", "un": "un", "oon": "un", "uen": "un", "eun": "un",
    "ang": "ang", "aang": "ang", "ap": "ap", "aap": "ap", "at": "at", "aat": "at",
    "ut": "ut", "uet": "ut", "eut": "ut", "oot": "ut", "ak": "ak", "aak": "ak",
    "e": "e", "eh": "e", "i": "i", "ee": "i", "ei": "i", "ey": "i", "z": "i", "ze": "i",
    "eng": "eng", "ek": "ek", "eu": "eu", "em": "em", "ep": "ep", "et": "et",
    "iu": "iu", "im": "im", "in": "in", "ing": "ing", "ip": "ip", "it": "it", "ik": "ik",
    "o": "o", "oh": "o", "aw": "o", "ou": "o", "oi": "oi", "oy": "oi", "on": "on",
    "ong": "ong", "ot": "ot", "ok": "ok", "u": "u", "oo": "u", "ue": "u", "ui": "ui",
    "ooi": "ui", "eui": "ui", "ung": "ung", "uk": "uk", "ook": "uk", "eung": "eung",
    "euk": "euk", "oe": "oe", "": "",
}  # fmt: skip
# Surnames read otherwise than the character's most common reading (區 is keoi "district" but
# the surname AU; 單 dan "single" but SHIN), added to the data file's readings.
_SURNAME_READINGS = {
    "區": "au", "区": "au", "單": "sin", "单": "sin", "仇": "sau", "查": "caa", "解": "haai",
    "蓋": "koi", "盖": "koi", "覃": "cam", "翟": "zaak", "繆": "miu", "缪": "miu", "樂": "lok",
    "乐": "lok", "曾": "zang", "万": "maan", "萬": "maan", "尉": "wat", "冼": "sin",
}  # fmt: skip
_JYUTPING = re.compile(r"(ng|gw|kw|[bpmfdtnlgkhwzcsj]?)([a-z]*)")


@cache
def _readings() -> dict[str, tuple[str, ...]]:
    """Character -> its Jyutping syllables (toneless), read once from the data file."""
    table: dict[str, tuple[str, ...]] = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            syllable, chars = line.split(" ", 1)
            for char in chars:
                table[char] = (*table.get(char, ()), syllable)
    for char, syllable in _SURNAME_READINGS.items():
        if syllable not in table.get(char, ()):
            table[char] = (*table.get(char, ()), syllable)
    return table


def _jyutping_keys(syllable: str) -> tuple[str, ...]:
    if syllable in ("m", "ng"):  # syllabic nasals: 唔 m, 吳/五 ng
        return (syllable,)
    match = _JYUTPING.fullmatch(syllable)
    if match is None:
        return ()
    initial, final = match.groups()
    folded_initial = _JYUTPING_INITIALS.get(initial)
    finals = _JYUTPING_FINALS.get(final)
    if folded_initial is None or finals is None:
        return ()
    return tuple(folded_initial + f for f in finals)


@lru_cache(maxsize=65536)
def char_keys(char: str) -> tuple[str, ...]:
    """Folded keys of a Chinese character's Cantonese reading (empty when unknown)."""
    keys = (key for s in _readings().get(char, ()) for key in _jyutping_keys(s))
    return tuple(dict.fromkeys(keys))


@lru_cache(maxsize=65536)
def fold_latin(word: str) -> str | None:
    """Folded key of a Latin word read as one syllable of HK romanisation, or None when the
    word cannot be one (too long, or an initial/final HK spelling does not use)."""
    if not 1 <= len(word) <= 6 or not word.isascii() or not word.isalpha():
        return None
    for spelling, folded in _LATIN_INITIALS:
        if word.startswith(spelling):
            final = _LATIN_FINALS.get(word[len(spelling) :])
            if final is not None and (folded or final):
                return folded + final
    return None


@cache
def all_keys() -> frozenset[str]:
    """Every folded key a character can have (the Cantonese syllable inventory)."""
    syllables = {s for readings in _readings().values() for s in readings}
    return frozenset(key for s in syllables for key in _jyutping_keys(s))


def split_word(word: str, chars: str) -> bool:
    """True when ``word`` is the characters' syllables written together ("chiming" for 志明)."""
    if not chars:
        return not word
    keys = char_keys(chars[0])
    for end in range(1, min(len(word), 6) + 1):
        if fold_latin(word[:end]) in keys and split_word(word[end:], chars[1:]):
            return True
    return False


def latin_key(word: str) -> str | None:
    """``fold_latin(word)`` when it is a Cantonese syllable some character has, else None."""
    key = fold_latin(word)
    return key if key is not None and key in all_keys() else None
