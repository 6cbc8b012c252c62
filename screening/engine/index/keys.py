"""Index keys of a name and their hashes: the keys an alias is filed under and a query
looks up, the SymSpell delete-1 variants of vocabulary words, the per-process query caches and
the packed multimap (key hash to ids) both tables are stored in."""

from __future__ import annotations

import functools
import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import combinations, pairwise

import numpy as np

from .. import cantonese, translit
from ..normalise import Token, normalise_name, split_pinyin

_HASH_BITS = 40
_ID_BITS = 24
_HASH_MASK = (1 << _HASH_BITS) - 1
_ID_MASK = (1 << _ID_BITS) - 1
_EMPTY = array("I")


_blake2b = hashlib.blake2b
_from_bytes = int.from_bytes


def _h(key: str) -> int:
    """A 40-bit hash of ``key`` that is the same in every process and on every machine."""
    return _from_bytes(_blake2b(key.encode("utf-8"), digest_size=5).digest(), "little")


def name_keys(tokens: Sequence[Token]) -> set[str]:
    """Index keys of a name; the same function serves aliases and queries."""
    keys: set[str] = set()
    previous: Token | None = None
    previous_sounds: tuple[str, ...] = ()
    for token in tokens:
        keys.add(token.latin)
        if previous is not None:
            joined = previous.latin + token.latin
            keys.add(joined)
            if not previous.han and len(joined) >= 8:
                # The affixes of two words joined, as of a long word: "Viokurktechnology"
                # (joined, with a typo) meets "Viokurt Technology".
                keys.add("^" + joined[:5])
                keys.add("$" + joined[-5:])
            if previous.han and token.han:
                keys.add(previous.han + token.han)
        if not token.han and len(token.latin) >= 8:
            # Affixes of long words: candidates for transliteration variants ("eks"/"ex").
            keys.add("^" + token.latin[:5])
            keys.add("$" + token.latin[-5:])
        if not token.han and len(token.latin) >= 6:
            syllables = split_pinyin(token.latin)
            if syllables and len(syllables) >= 3:
                keys.update(syllables)
                keys.update(a + b for a, b in pairwise(syllables))
        if not token.han and len(token.latin) >= 3:
            # The Russian transliteration key (Tekhnoplyus, TEKHNOPLIUS, Tehnoplus).
            keys.add(translit.fold(token.latin))
        # Cantonese readings meet Hong Kong romanisation (陳 and CHAN, 周 and CHOW/CHAU), alone
        # and with the previous syllable, in personal-name-sized names only. The keys start
        # with "@" so no edit-distance neighbours are looked up for them.
        sounds = _sounds(token) if len(tokens) <= MAX_SOUND_TOKENS else ()
        keys.update("@" + a for a in sounds)
        keys.update("@" + a + b for a in previous_sounds for b in sounds)
        previous, previous_sounds = token, sounds
    if len(tokens) == 1 and tokens[0].han:
        keys.add(tokens[0].han)
    if len(tokens) <= MAX_SOUND_TOKENS:
        # Any two words of a short (personal) name, in either order: "Xue He" meets
        # "HE Xue Xiu" and 薛和秀 even when "xue" and "he" alone are too common to seed.
        words = sorted({t.latin for t in tokens})
        keys.update(f"&{a} {b}" for a, b in combinations(words, 2))
    return keys


# Hong Kong romanisation is for personal names (陳大文, CHAN Tai-man): longer names get no
# Cantonese keys (their scoring still knows the readings).
MAX_SOUND_TOKENS = 4


def _sounds(token: Token) -> tuple[str, ...]:
    """Folded Cantonese keys of a character, or of a Latin word that can be one syllable."""
    if token.han:
        return cantonese.char_keys(token.han)
    key = cantonese.latin_key(token.latin)
    return (key,) if key is not None else ()


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


# The query path does the same index-independent work for every index a query searches (one
# per list version) and for every repeat of a name: normalising it and hashing its keys and
# their deletes. These caches keep that work once per name per process. Their entries are
# immutable (frozen dataclasses, ints, frozensets) and bounded.
_query_hash = functools.lru_cache(maxsize=1 << 16)(_h)
_query_name = functools.lru_cache(maxsize=1 << 12)(normalise_name)


@functools.lru_cache(maxsize=1 << 14)
def _query_deletes(word: str) -> tuple[int, ...]:
    return tuple(_query_hash(d) for d in _deletes(word))


class _PackedMultimap:
    """Read-only multimap from 40-bit key hashes to ascending ids, in CSR layout: a sorted
    ``array('Q')`` of distinct hashes, an offsets array and one flat ids array. ``get_many``
    looks many hashes up at once through numpy views of the same memory (no copy: the
    pages of a mapped file stay shared between processes)."""

    __slots__ = ("_hashes", "_ids", "_np", "_offsets")

    @classmethod
    def from_arrays(cls, hashes, offsets, ids) -> _PackedMultimap:
        """A multimap over existing arrays (e.g. typed views of a mapped file)."""
        multimap = cls.__new__(cls)
        multimap._hashes, multimap._offsets, multimap._ids = hashes, offsets, ids
        multimap._np = multimap._views()
        return multimap

    def _views(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            np.frombuffer(self._hashes, dtype=np.uint64),
            np.frombuffer(self._offsets, dtype=np.uint32),
            np.frombuffer(self._ids, dtype=np.uint32),
        )

    def arrays(self) -> tuple:
        return self._hashes, self._offsets, self._ids

    def __init__(self, packed: Iterable[int]) -> None:
        """``packed`` holds ``hash << 24 | id`` values, in any order."""
        self._hashes = array("Q")
        self._offsets = array("I")
        self._ids = array("I")
        last = -1
        for value in sorted(packed):
            key_hash = value >> _ID_BITS
            if key_hash != last:
                self._hashes.append(key_hash)
                self._offsets.append(len(self._ids))
                last = key_hash
            self._ids.append(value & _ID_MASK)
        self._offsets.append(len(self._ids))
        self._np = self._views()

    def get(self, key_hash: int) -> array:
        i = bisect_left(self._hashes, key_hash)
        if i < len(self._hashes) and self._hashes[i] == key_hash:
            return self._ids[self._offsets[i] : self._offsets[i + 1]]
        return _EMPTY

    def get_many(self, key_hashes: Sequence[int]) -> list[np.ndarray]:
        """The ids of each hash in ``key_hashes`` (ascending; empty when absent), as numpy
        views of the table: one bisection in C for them all."""
        hashes, offsets, ids = self._np
        wanted = np.array(key_hashes, dtype=np.uint64)
        # A hash not held has no hashes between its two insertion points: an empty range.
        starts = offsets[np.searchsorted(hashes, wanted)].tolist()
        ends = offsets[np.searchsorted(hashes, wanted, side="right")].tolist()
        return [ids[start:end] for start, end in zip(starts, ends, strict=True)]

    def nbytes(self) -> int:
        return sum(a.itemsize * len(a) for a in (self._hashes, self._offsets, self._ids))
