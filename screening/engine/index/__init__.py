"""In-memory inverted index over normalised aliases, and the search entry point.

Candidate generation: every alias is indexed under its keys (words, adjacent word pairs
joined -- which meets "Hua Wei" with "Huawei" -- pinyin syllables of joined pinyin words,
Chinese character bigrams, and the first and last five letters of long words). A query
collects the aliases sharing its keys, plus the aliases of words within a small edit distance
of its words (found with a SymSpell delete-1 table), and ranks them by summed IDF. Only the
best ``max_candidates`` aliases are scored.

Storage is a few flat arrays: keys are 40-bit string hashes packed with an id into one sorted
``array('Q')`` (CSR layout), so there is no Python object per key or per posting. Entities
added after ``build`` go to a small dict overlay; removed entities are tombstoned. Call
``MatchIndex.build(index.entities())`` to compact after many changes.

Key hashes are stable (BLAKE2b, not Python's per-process ``hash()``), so ``write`` can store
an index as one file of flat arrays and ``MatchIndex.load`` maps it read-only: every process
that loads the same file shares its pages through the operating system's page cache.

Modules: ``keys`` (index keys, their hashes, the packed multimap), ``candidates`` (candidate
search and its recall rules), ``search`` (scoring the candidates, qualifiers), ``artefact``
(the file format's tables) and ``match_index`` (``MatchIndex``, writing and mapping its file).
"""

from .artefact import FORMAT_VERSION
from .candidates import (
    MAX_GENERIC_SCAN,
    MIN_SPLIT_PART,
    MIN_SPLIT_WORD,
    SPLIT_PART_FACTOR,
    split_joined,
)
from .keys import MAX_SOUND_TOKENS, name_keys
from .match_index import MatchIndex
from .search import (
    COUNTRY_CONFLICT_PENALTY,
    COUNTRY_MATCH_BONUS,
    RELATED_TERRITORIES,
    TYPE_CONFLICT_PENALTY,
    WEAK_ALIAS_SCORE,
    WIDEN_SLICES,
    search_many,
)

# Read by bench/screening_recall_bench.py, which scores the way ``search_many`` does.
from .search import _qualifiers as _qualifiers
from .search import _same_surface as _same_surface

__all__ = [
    "COUNTRY_CONFLICT_PENALTY",
    "COUNTRY_MATCH_BONUS",
    "FORMAT_VERSION",
    "MAX_GENERIC_SCAN",
    "MAX_SOUND_TOKENS",
    "MIN_SPLIT_PART",
    "MIN_SPLIT_WORD",
    "RELATED_TERRITORIES",
    "SPLIT_PART_FACTOR",
    "TYPE_CONFLICT_PENALTY",
    "WEAK_ALIAS_SCORE",
    "WIDEN_SLICES",
    "MatchIndex",
    "name_keys",
    "search_many",
    "split_joined",
]
