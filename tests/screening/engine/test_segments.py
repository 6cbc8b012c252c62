"""Segment keys: every string within the budget of a listed string shares a key with it."""

import random
import string

import pytest

from screening.engine.index.segments import (
    MIN_SEGMENT_WORD,
    MIN_WHOLE_NAME,
    WHOLE_NAME_EDITS,
    name_probe_keys,
    name_segment_keys,
    word_probe_keys,
    word_segment_keys,
)
from screening.engine.score import edit_budget


def _edited(rng: random.Random, text: str, edits: int) -> str:
    """``text`` with ``edits`` random insertions, deletions or substitutions."""
    for _ in range(edits):
        at = rng.randrange(len(text) + 1)
        kind = rng.choice("ids" if at < len(text) else "i")
        letter = rng.choice(string.ascii_lowercase)
        if kind == "i":
            text = text[:at] + letter + text[at:]
        elif kind == "d":
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + letter + text[at + 1 :]
    return text


def _word(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("aeghinoszu") for _ in range(length))


@pytest.mark.parametrize("seed", range(3))
def test_a_word_within_the_budget_shares_a_segment_key(seed):
    rng = random.Random(seed)
    checked = 0
    for _ in range(3000):
        listed = _word(rng, rng.randrange(MIN_SEGMENT_WORD, 24))
        edits = rng.randrange(1, 4)
        query = _edited(rng, listed, edits)
        shorter = min(len(query), len(listed))
        if shorter < MIN_SEGMENT_WORD or edits > edit_budget(shorter):
            continue
        checked += 1
        assert set(word_segment_keys(listed)) & word_probe_keys(query), (listed, query)
    assert checked > 1000


@pytest.mark.parametrize("seed", range(3))
def test_a_whole_name_two_edits_away_shares_a_segment_key(seed):
    rng = random.Random(seed)
    checked = 0
    for _ in range(3000):
        listed = _word(rng, rng.randrange(MIN_WHOLE_NAME, 40))
        query = _edited(rng, listed, rng.randrange(1, WHOLE_NAME_EDITS + 1))
        if len(query) < MIN_WHOLE_NAME:
            continue
        checked += 1
        assert set(name_segment_keys(listed)) & name_probe_keys(query), (listed, query)
    assert checked > 2000


def test_strings_further_apart_mostly_share_no_key():
    # The keys select: three edits spread over a 24-letter name leave no segment whole.
    assert not set(name_segment_keys("shanghaidongzhongtrading")) & name_probe_keys(
        "xhanghaidxngzhongtradinx"
    )
    assert name_segment_keys("short") == [] and name_probe_keys("tooshort") == set()
    assert word_segment_keys("eightlet") == [] and word_probe_keys("eightlet") == set()
