"""Segment keys: the strings within two or three edits of a listed string, which the
delete-1 table cannot reach. A listed string of length L is cut into ``parts(L)`` even
segments, one more than the edits it may ever differ by; a string within that many edits
holds one of the segments unchanged, shifted by no more than the edits made before it (the
pigeonhole principle of PassJoin: Li, Deng, Wang and Feng, VLDB 2011). Each segment is filed
under a key holding L, its number and its text; a query looks up, for every length within
its budget, the substrings that can be such a segment, then checks each string found with
the scorer's own edit distance. A transposition counts as one edit but may cross the border
of two segments; such a pair is found only when another segment is untouched.

Two uses (``name_segment_keys``, ``word_segment_keys``): whole Latin names of 20 letters or
more, spaces removed (``Shan ghai Yonghong Trading`` ~ ``Shanghai Dongzhong Trading``, two
edits in 24 letters, which ``score.whole_name`` allows), and vocabulary words long enough for
two or three edits (``Kraiprest`` ~ ``Kraivlest``, ``Shenghuanzheng`` ~
``Shengchuangheng``), looked up for the query's own words (not for its joined pairs)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from ..score import edit_budget
from .keys import _query_hash

# The scorer allows two edits between whole names when the shorter has 20 letters or more
# (score.whole_name). One edit between shorter names is a typo in a word or a joined pair of
# words, which the delete-1 table reaches.
MIN_WHOLE_NAME = 20
WHOLE_NAME_EDITS = 2


def _whole_name_budget(length: int) -> int:
    return WHOLE_NAME_EDITS


# Words shorter than this differ from their neighbours by one edit at most: the delete-1
# table finds those.
MIN_SEGMENT_WORD = 9
_MAX_EDITS = 3


def _bounds(length: int, parts: int) -> Iterator[tuple[int, int, int]]:
    """(number, start, end) of ``parts`` even segments of a string of ``length``; the last
    segments are one longer when the length does not divide."""
    base, extra = divmod(length, parts)
    start = 0
    for number in range(parts):
        end = start + base + (number >= parts - extra)
        yield number, start, end
        start = end


def _listed_keys(text: str, tag: str, budget: Callable[[int], int]) -> list[str]:
    parts = budget(len(text)) + 1
    return [f"{tag}{len(text)}:{n}:{text[s:e]}" for n, s, e in _bounds(len(text), parts)]


def _probe_keys(text: str, tag: str, budget: Callable[[int], int], shortest: int) -> set[str]:
    """The keys of every segment of a listed string of length at least ``shortest`` that
    ``text`` may hold unchanged when the two are within their budget (counted on the shorter
    string). A segment shifts by ``d`` when the edits before it change the length by ``d``;
    the edits after it change it by the rest, so ``|d| + |difference - d|`` edits at least."""
    keys: set[str] = set()
    size = len(text)
    for length in range(max(shortest, size - _MAX_EDITS), size + _MAX_EDITS + 1):
        edits = budget(min(size, length))
        difference = size - length
        if edits == 0 or abs(difference) > edits:
            continue
        for number, start, end in _bounds(length, budget(length) + 1):
            for shift in range(-edits, edits + 1):
                if abs(shift) + abs(difference - shift) > edits:
                    continue
                first = start + shift
                if first >= 0 and first + end - start <= size:
                    keys.add(f"{tag}{length}:{number}:{text[first : first + end - start]}")
    return keys


def name_segment_keys(joined: str) -> list[str]:
    """Keys of a listed name's Latin words joined (no Chinese characters) long enough for
    two edits."""
    if len(joined) < MIN_WHOLE_NAME:
        return []
    return _listed_keys(joined, "=", _whole_name_budget)


def name_probe_keys(joined: str) -> set[str]:
    if len(joined) < MIN_WHOLE_NAME:
        return set()
    return _probe_keys(joined, "=", _whole_name_budget, MIN_WHOLE_NAME)


def word_segment_keys(word: str) -> list[str]:
    """Keys of a vocabulary word that two or more edits may reach."""
    if len(word) < MIN_SEGMENT_WORD:
        return []
    return _listed_keys(word, "%", edit_budget)


def word_probe_keys(word: str) -> set[str]:
    if len(word) < MIN_SEGMENT_WORD:
        return set()
    return _probe_keys(word, "%", edit_budget, MIN_SEGMENT_WORD)


# The hashes of a query's probe keys, once per string per process (see keys._query_deletes).
@functools.lru_cache(maxsize=1 << 12)
def query_name_probes(joined: str) -> tuple[int, ...]:
    return tuple(_query_hash(key) for key in name_probe_keys(joined))


@functools.lru_cache(maxsize=1 << 14)
def query_word_probes(word: str) -> tuple[int, ...]:
    return tuple(_query_hash(key) for key in word_probe_keys(word))
