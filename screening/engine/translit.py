"""One key for the Latin spellings of a Russian word across transliteration systems.

A name listed in Cyrillic reaches the engine through anyascii (close to BGN/PCGN:
Жиляев → ``zhilyaev``); customers type it in whatever system their papers use: BGN/PCGN
(``Zhilyayev``, ``Yuriy``, ``Tekhnoplyus``), the ICAO passport style (``ZHILIAEV``, ``IURII``,
``TEKHNOPLIUS``) or the popular English style (``Zhilyaev``, ``Yury``, ``Tehnoplus``,
``Jetenergo``). ``fold`` maps all of them to one key by undoing the points where the systems
differ:

- ``x`` is ``ks`` (Maxim/Maksim), ``shch`` is ``sch`` (Щ), ``dzh``/``dj`` is ``j`` (Дж),
  ``kh`` is ``h`` (Х), ``tz`` is ``ts`` (Ц);
- ``y`` is ``i`` (Й, Ы and the glide of Е/Ю/Я: ``yu``/``iu``, ``ya``/``ia``, ``ye``/``ie``),
  a run of ``i`` is one ``i`` (``-iy``/``-y``/``-ii`` endings), and an ``i`` gliding into a
  vowel is dropped (``plyus``/``plius``/``plus``, ``Zhilyayev``/``Zhiliaev``).

Ё is written ``yo``, ``e`` or ``io`` and cannot be folded without merging Е and О; the
scorer allows one edit between keys for it (``Shchyolkovskiy``/``Shchelkovskiy``).

The key loses distinctions (Дмитриев and Дмитрев fold alike), so the scorer gives a folded
match a little less than an exact one and only between words that are not both pinyin (where
``liang`` and ``lang`` are different syllables).
"""

from __future__ import annotations

import re
from functools import lru_cache

_STEPS = (
    (re.compile(r"x"), "ks"),
    (re.compile(r"shch"), "sch"),
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"tz"), "ts"),
    (re.compile(r"y"), "i"),
    (re.compile(r"i{2,}"), "i"),
    (re.compile(r"i(?=[aeou])"), ""),
)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The transliteration-independent key of a lower-case ASCII word."""
    for pattern, replacement in _STEPS:
        word = pattern.sub(replacement, word)
    return word
