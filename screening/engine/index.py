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
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import json
import math
import mmap
import os
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import combinations, pairwise
from operator import itemgetter

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from . import cantonese, translit
from .model import (
    DEFAULT_THRESHOLD,
    MATCH_THRESHOLD,
    REVIEW_FLOOR,
    Alias,
    Hit,
    ListEntity,
    Reason,
    decide,
)
from .normalise import LOW_WEIGHT_WORDS, Token, decode_tokens, normalise_name, split_pinyin
from .score import compare, edit_budget, explain

WEAK_ALIAS_SCORE = 0.9
COUNTRY_MATCH_BONUS = 0.03
COUNTRY_CONFLICT_PENALTY = 0.10
TYPE_CONFLICT_PENALTY = 0.10
# Territories treated as one for country agreement (neither bonus nor penalty between them).
RELATED_TERRITORIES = ({"CN", "HK", "MO"},)

# At most this many slices of ``max_candidates`` candidates are scored per query (search).
WIDEN_SLICES = 8

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
    ``array('Q')`` of distinct hashes, an offsets array and one flat ids array."""

    __slots__ = ("_hashes", "_ids", "_offsets")

    @classmethod
    def from_arrays(cls, hashes, offsets, ids) -> _PackedMultimap:
        """A multimap over existing arrays (e.g. typed views of a mapped file)."""
        multimap = cls.__new__(cls)
        multimap._hashes, multimap._offsets, multimap._ids = hashes, offsets, ids
        return multimap

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

    def get(self, key_hash: int) -> array:
        i = bisect_left(self._hashes, key_hash)
        if i < len(self._hashes) and self._hashes[i] == key_hash:
            return self._ids[self._offsets[i] : self._offsets[i + 1]]
        return _EMPTY

    def nbytes(self) -> int:
        return sum(a.itemsize * len(a) for a in (self._hashes, self._offsets, self._ids))


class MatchIndex:
    """Searchable index of listed parties. Build with ``MatchIndex.build(entities)``."""

    def __init__(self, max_candidates: int = 40) -> None:
        self.max_candidates = max_candidates
        self._entities: list[ListEntity | None] = []
        self._slot: dict[str, int] = {}
        self._alias_entity = array("i")
        self._alias_pos = array("H")
        self._alias_code: list[str] = []
        self._alias_forms: list[tuple[str, ...]] = []
        self._alias_weak = bytearray()
        self._forms_interned: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._vocab: list[str] = []
        self._vocab_id: dict[str, int] = {}
        self._postings = _PackedMultimap(())
        self._deletes = _PackedMultimap(())
        self._extra_postings: dict[int, list[int]] = {}
        self._extra_deletes: dict[int, list[int]] = {}
        # Per entity slot: the proleptic ordinal of its delisting day, 0 when not delisted.
        self._until = array("i")
        self._mapped: _MappedFile | None = None

    # ----------------------------------------------------------------- building
    @classmethod
    def build(cls, entities: Iterable[ListEntity], max_candidates: int = 40) -> MatchIndex:
        index = cls(max_candidates)
        postings: list[int] = []
        deletes: list[int] = []
        for entity in entities:
            for alias_id, keys in index._add_entity(entity):
                postings.extend((_h(key) << _ID_BITS) | alias_id for key in keys)
        for word_id, word in enumerate(index._vocab):
            deletes.extend((_h(d) << _ID_BITS) | word_id for d in _deletes(word))
        index._postings = _PackedMultimap(postings)
        index._deletes = _PackedMultimap(deletes)
        return index

    def _add_entity(self, entity: ListEntity) -> list[tuple[int, set[str]]]:
        if entity.key in self._slot:
            raise ValueError(f"duplicate entity key {entity.key!r}")
        if self._mapped is not None:
            raise TypeError("a loaded index is read-only")
        slot = len(self._entities)
        self._entities.append(entity)
        self._slot[entity.key] = slot
        self._until.append(entity.delisted_on.toordinal() if entity.delisted_on else 0)
        added = []
        for pos, alias in enumerate(entity.names):
            name = normalise_name(alias.text)
            if not name.tokens:
                continue
            alias_id = len(self._alias_code)
            if alias_id > _ID_MASK:
                raise OverflowError("index holds at most 16.7 million aliases")
            self._alias_entity.append(slot)
            self._alias_pos.append(pos)
            self._alias_code.append(name.encode())
            forms = self._forms_interned.setdefault(name.legal_forms, name.legal_forms)
            self._alias_forms.append(forms)
            self._alias_weak.append(alias.weak)
            keys = name_keys(name.tokens)
            words = [t.latin for t in name.tokens if len(t.latin) >= 4]
            if len(name.tokens) <= MAX_SOUND_TOKENS:
                # Two Latin words of a short name joined are a word a typo can reach:
                # "Fangli" ~ "Tang Li" (the scorer joins runs of words, so must the index).
                words += [
                    a.latin + b.latin
                    for a, b in pairwise(name.tokens)
                    if not a.han and not b.han and len(a.latin + b.latin) >= 6
                ]
            for word in words:
                if word not in self._vocab_id:
                    self._vocab_id[word] = len(self._vocab)
                    self._vocab.append(word)
            added.append((alias_id, keys))
        return added

    def add(self, entity: ListEntity) -> None:
        """Add one entity after ``build`` (kept in an overlay until the next build)."""
        vocab_before = len(self._vocab)
        for alias_id, keys in self._add_entity(entity):
            for key in keys:
                self._extra_postings.setdefault(_h(key), []).append(alias_id)
        for word_id in range(vocab_before, len(self._vocab)):
            for d in _deletes(self._vocab[word_id]):
                self._extra_deletes.setdefault(_h(d), []).append(word_id)

    def remove(self, key: str) -> None:
        """Remove an entity by key (a tombstone; its aliases are skipped from now on)."""
        if self._mapped is not None:
            raise TypeError("a loaded index is read-only")
        slot = self._slot.pop(key)
        self._entities[slot] = None

    def entities(self) -> list[ListEntity]:
        if self._mapped is not None:
            # A loaded index has no tombstones: every slot holds an entity.
            table = self._entities
            return [e for slot in range(len(table)) if (e := table[slot]) is not None]
        return [e for e in self._entities if e is not None]

    def __len__(self) -> int:
        if self._mapped is not None:
            return len(self._entities)
        return len(self._slot)

    def nbytes(self) -> int:
        """Approximate size of the flat index structures (excludes the entity objects)."""
        if self._mapped is not None:
            return self._mapped.size
        arrays = self._postings.nbytes() + self._deletes.nbytes()
        arrays += len(self._alias_entity) * 6 + len(self._alias_weak)
        strings = sum(len(c) + 49 for c in self._alias_code) + len(self._alias_code) * 8
        return arrays + strings

    # ---------------------------------------------------------------- artefact file
    def write(self, handle) -> int:
        """Write the index to a binary file object as flat arrays (see ``load``); returns
        the bytes written. The same entities always give the same bytes."""
        return _write(self, handle)

    @staticmethod
    def load(path: str | os.PathLike) -> MatchIndex:
        """Map a file written by ``write`` read-only. Nothing is copied into the process:
        lookups read the mapped pages, which processes mapping the same file share."""
        return _load(path)

    # ---------------------------------------------------------------- searching
    def _lookup(self, key: str) -> array:
        key_hash = _query_hash(key)
        found = self._postings.get(key_hash)
        extra = self._extra_postings.get(key_hash)
        return found + array("I", extra) if extra else found

    def _neighbours(self, word: str) -> list[tuple[str, int]]:
        """Vocabulary words within the edit budget of ``word`` (excluding itself)."""
        budget = edit_budget(len(word))
        seen: set[int] = set()
        out = []
        for d_hash in _query_deletes(word):
            ids = self._deletes.get(d_hash).tolist() + self._extra_deletes.get(d_hash, [])
            for word_id in ids:
                if word_id in seen:
                    continue
                seen.add(word_id)
                other = self._vocab[word_id]
                if other != word:
                    edits = OSA.distance(word, other, score_cutoff=budget)
                    if edits <= budget:
                        out.append((other, edits))
        return out

    def _in_vocabulary(self, word: str) -> bool:
        """True when ``word`` is a vocabulary word (a word of the deletes table is filed under
        itself too)."""
        word_hash = _query_hash(word)
        ids = self._deletes.get(word_hash).tolist() + self._extra_deletes.get(word_hash, [])
        return any(self._vocab[word_id] == word for word_id in ids)

    def _candidate_ids(self, tokens: Sequence[Token], limit: int | None = None) -> list[int]:
        """Alias ids sharing keys with the query, best summed IDF first, at most ``limit``
        (``max_candidates`` by default)."""
        return _candidate_ids((self,), tokens, limit or self.max_candidates)

    def candidate_aliases(self, name: str) -> list[tuple[str, str]]:
        """The (entity key, alias text) pairs the scorer would see for ``name``; at most
        ``max_candidates``. Exposed for tests and diagnostics."""
        out = []
        for alias_id in self._candidate_ids(normalise_name(name).tokens):
            entity = self._entities[self._alias_entity[alias_id]]
            if entity is not None:
                out.append((entity.key, entity.names[self._alias_pos[alias_id]].text))
        return out

    def _siblings(self, alias_id: int) -> range:
        """The alias ids of the entity holding ``alias_id`` (an entity's aliases are stored
        one after another, so ``_alias_entity`` ascends)."""
        slot = self._alias_entity[alias_id]
        return range(
            bisect_left(self._alias_entity, slot, 0, alias_id + 1),
            bisect_left(self._alias_entity, slot + 1, alias_id, len(self._alias_entity)),
        )

    def search(
        self,
        name: str,
        country: str | None = None,
        entity_type: str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
        review_floor: float = REVIEW_FLOOR,
        match_threshold: float = MATCH_THRESHOLD,
        on: date | None = None,
    ) -> list[Hit]:
        """Listed parties matching ``name``, best first, scored at or above
        ``min(review_floor, threshold)``; each carries its decision for ``threshold``.
        With ``on`` (a day), parties delisted on or before that day are left out."""
        return search_many(
            (self,), name, country, entity_type, threshold, limit, review_floor, match_threshold, on
        )

    def _hit(
        self,
        query: Sequence[Token],
        query_forms: tuple[str, ...],
        alias_id: int,
        country: str | None,
        entity_type: str | None,
        threshold: float,
        match_threshold: float,
    ) -> Hit:
        entity = self._entities[self._alias_entity[alias_id]]
        assert entity is not None
        alias = entity.names[self._alias_pos[alias_id]]
        tokens = decode_tokens(self._alias_code[alias_id])
        if self._alias_weak[alias_id]:
            score = WEAK_ALIAS_SCORE
            reasons = [Reason("weak_alias_exact", {"listed": alias.text})]
        else:
            score, reasons = explain(query, tokens)
            listed_forms = self._alias_forms[alias_id]
            if query_forms and listed_forms:
                same = bool(set(query_forms) & set(listed_forms))
                code = "legal_form_same" if same else "legal_form_differs"
                params = {"query": "/".join(query_forms), "listed": "/".join(listed_forms)}
                reasons.append(Reason(code, params))
        qualifiers = _qualifiers(entity, country, entity_type)
        score = min(1.0, max(0.0, score + sum(r.effect for r in qualifiers)))
        score = round(score, 4)
        return Hit(
            entity.key,
            alias,
            score,
            decide(score, threshold, match_threshold),
            (*reasons, *qualifiers),
        )


def _same_surface(query: Sequence[Token], listed: Sequence[Token]) -> bool:
    return "".join(t.surface for t in query) == "".join(t.surface for t in listed)


def _qualifiers(entity: ListEntity, country: str | None, entity_type: str | None) -> list[Reason]:
    reasons = []
    if country and entity.countries:
        listed = tuple(c.upper() for c in entity.countries)
        if country in listed:
            reasons.append(Reason("country_match", {"country": country}, COUNTRY_MATCH_BONUS))
        elif any(country in group and set(listed) & group for group in RELATED_TERRITORIES):
            reasons.append(
                Reason("country_related", {"query": country, "listed": ",".join(listed)})
            )
        else:
            params = {"query": country, "listed": ",".join(listed)}
            reasons.append(Reason("country_conflict", params, -COUNTRY_CONFLICT_PENALTY))
    if entity_type and entity.entity_type and entity_type != entity.entity_type:
        params = {"query": entity_type, "listed": entity.entity_type}
        reasons.append(Reason("type_conflict", params, -TYPE_CONFLICT_PENALTY))
    return reasons


# A query word this long may be two words joined ("Viokurktechnology"): it is split at a
# generic word or a vocabulary word it opens or closes with, and the other part is looked up
# as a word of its own, typo neighbours included (``split_joined``).
MIN_SPLIT_WORD = 10
MIN_SPLIT_PART = 4
SPLIT_PART_FACTOR = 0.9
_GENERIC_PARTS = frozenset(w for w in LOW_WEIGHT_WORDS if len(w) >= MIN_SPLIT_PART)


def split_joined(word: str, indexes: Sequence[MatchIndex]) -> set[str]:
    """The parts of a long joined word split once where one side is a generic word
    ("viokurk" + "technology", "hangzhou" + "huanjingbai") or a word of an index's
    vocabulary ("crefu" + "composites"): both sides, each at least four letters. A word that
    is itself in a vocabulary is left whole."""
    if any(index._in_vocabulary(word) for index in indexes):
        return set()
    parts: set[str] = set()
    for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
        head, tail = word[:cut], word[cut:]
        if head in _GENERIC_PARTS or tail in _GENERIC_PARTS:
            parts.update((head, tail))
            continue
        for index in indexes:
            if index._in_vocabulary(head) or index._in_vocabulary(tail):
                parts.update((head, tail))
                break
    return parts


# The listed aliases holding a generic word that a joined query word opens or closes with are
# read when the word has fewer than this many of them in an index (see ``_joined_with_generic``).
MAX_GENERIC_SCAN = 20_000


def _joined_with_generic(indexes: Sequence[MatchIndex], tokens: Sequence[Token]) -> set[int]:
    """Aliases where a generic word and the word next to it, joined, are within the scorer's
    edit budget of a long query word that is a brand joined to that generic word:
    "Crefucomposites" ~ "Skefu Composites" (two edits in fifteen letters, which the scorer
    allows), whose brands are too far apart for the typo neighbours of "crefu". The aliases
    holding the generic word are read (at most MAX_GENERIC_SCAN per index); ids as in
    ``_candidate_ids``."""
    found: set[int] = set()
    for token in tokens:
        word = token.latin
        if token.han or len(word) < MIN_SPLIT_WORD:
            continue
        budget = edit_budget(len(word))
        for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
            head, tail = word[:cut], word[cut:]
            generic, before = (tail, True) if tail in _GENERIC_PARTS else (head, False)
            if generic not in _GENERIC_PARTS:
                continue
            for number, index in enumerate(indexes):
                ids = index._lookup(generic)
                if len(ids) > MAX_GENERIC_SCAN:
                    continue
                shift = number << _ID_BITS
                for alias_id in ids:
                    words = [w.lstrip("^~") for w in index._alias_code[alias_id].split()]
                    for j, listed in enumerate(words):
                        if listed != generic:
                            continue
                        k = j - 1 if before else j + 1
                        if not 0 <= k < len(words):
                            continue
                        joined = words[k] + generic if before else generic + words[k]
                        if (
                            abs(len(joined) - len(word)) <= budget
                            and OSA.distance(word, joined, score_cutoff=budget) <= budget
                        ):
                            found.add(shift | alias_id)
    return found


def _candidate_ids(indexes: Sequence[MatchIndex], tokens: Sequence[Token], limit: int) -> list[int]:
    """One candidate search over several indexes (one per list version): the aliases sharing
    keys with the query, best summed IDF first (document frequencies summed over the indexes),
    at most ``limit``. An id is ``index number << 24 | alias id`` (the alias id itself for the
    first index)."""
    keys = dict.fromkeys(name_keys(tokens), 1.0)
    for token in tokens:
        if not token.han and len(token.latin) >= MIN_SPLIT_WORD:
            for part in split_joined(token.latin, indexes):
                keys.setdefault(part, SPLIT_PART_FACTOR)
    for key in list(keys):
        if len(key) >= 4 and key.isalnum() and key.isascii():
            for index in indexes:
                for other, edits in index._neighbours(key):
                    factor = 0.8 * (1.0 - edits / len(key))
                    if keys.get(other, 0.0) < factor:
                        keys[other] = factor
    total = sum(len(index._alias_code) for index in indexes) + 1
    # Per key: its posting lists ((index number << 24, ids) per index holding it), their
    # summed length and the key's factor (1.0, or less for a typo neighbour).
    postings = []
    for key, factor in keys.items():
        parts = [
            (number << _ID_BITS, ids)
            for number, index in enumerate(indexes)
            if len(ids := index._lookup(key))
        ]
        if parts:
            postings.append((parts, sum(len(ids) for _, ids in parts), factor))
    postings.sort(key=itemgetter(1))
    seed_df = max(500, total // 200)
    keep = 8 * max(index.max_candidates for index in indexes)
    rare = [p for p in postings if p[1] <= seed_df]
    common = postings[len(rare) :]
    if rare and common and all(p[2] < 1.0 for p in rare):
        # Only typo neighbours are rare: the query's own rarest key seeds too, or the
        # listed names spelt exactly as asked ("fangli") would never become candidates.
        own = next((p for p in common if p[2] == 1.0), None)
        if own is not None and own[1] <= 8 * seed_df:
            common.remove(own)
            rare.append(own)
    scores: dict[int, float] = {}
    get = scores.get
    for parts, df, factor in rare:
        weight = factor * math.log(1.0 + total / df)
        for shift, ids in parts:
            for composite in [shift | i for i in ids] if shift else ids:
                scores[composite] = get(composite, 0.0) + weight
    # Brands joined to a generic word with typos (``_joined_with_generic``) rank first.
    for composite in _joined_with_generic(indexes, tokens):
        scores[composite] = get(composite, 0.0) + math.log(1.0 + total)
    if not scores and common:
        # Only common words: the candidates must hold the two rarest of them.
        held = [{shift | i for shift, ids in p[0] for i in ids} for p in common[:2]]
        scores = dict.fromkeys(held[0].intersection(*held[1:]), 0.0)
    elif common and len(scores) > keep:
        top = heapq.nlargest(keep, scores.items(), key=itemgetter(1))
        scores = dict(top)
    # Common keys only add to candidates found so far ("boost only"), by bisection in
    # their sorted ids or by a pass over them, whichever is cheaper.
    for parts, df, factor in common:
        weight = factor * math.log(1.0 + total / df)
        if len(scores) * 8 < df:
            by_shift = dict(parts)
            for composite in scores:
                posting = by_shift.get(composite & ~_ID_MASK)
                if posting is None:
                    continue
                alias_id = composite & _ID_MASK
                i = bisect_left(posting, alias_id)
                if i < len(posting) and posting[i] == alias_id:
                    scores[composite] += weight
        else:
            for shift, ids in parts:
                for alias_id in ids:
                    composite = shift | alias_id
                    if composite in scores:
                        scores[composite] += weight
    best = heapq.nlargest(limit, scores.items(), key=itemgetter(1))
    return [composite for composite, _ in best]


_NO_FLAGS = str.maketrans("", "", "^~")


def _written_like(indexes: Sequence[MatchIndex], query: Sequence[Token]):
    """A cheap likeness of a candidate alias to the query, for ordering candidates only: the
    similarity of their words sorted and joined (rapidfuzz's token sort ratio) over the
    stored form of the alias (its characters left in: an alias in Chinese ranks low here,
    its Latin aliases come with it as siblings)."""
    text = " ".join(t.latin for t in query)

    def likeness(composite: int) -> float:
        code = indexes[composite >> _ID_BITS]._alias_code[composite & _ID_MASK]
        return fuzz.token_sort_ratio(text, code.translate(_NO_FLAGS))

    return likeness


def search_many(
    indexes: Sequence[MatchIndex],
    name: str,
    country: str | None = None,
    entity_type: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
    review_floor: float = REVIEW_FLOOR,
    match_threshold: float = MATCH_THRESHOLD,
    on: date | None = None,
) -> list[Hit]:
    """``MatchIndex.search`` over several indexes (the current version of each list) in one
    go: the name is normalised once and one candidate search ranks the aliases of all the
    indexes together, so the scorer sees the best candidates of the whole, not the best 40 of
    each index. Returns at most ``limit`` hits over all the indexes, best first; the hits and
    their reasons are those ``search`` gives in the index holding the party."""
    query = _query_name(name)
    if not query.tokens or not indexes:
        return []
    day = on.toordinal() if on is not None else 0
    floor = min(review_floor, threshold)
    country = country.upper() if country else None
    best: dict[tuple[int, int], tuple[float, int]] = {}
    decoded: dict[str, tuple[Token, ...]] = {}
    scored: set[int] = set()

    def score(composite: int) -> float:
        """The alias's score with its entity's qualifiers (0 when it cannot be a hit)."""
        scored.add(composite)
        index = indexes[composite >> _ID_BITS]
        alias_id = composite & _ID_MASK
        slot = index._alias_entity[alias_id]
        if day and 0 < index._until[slot] <= day:
            return 0.0
        code = index._alias_code[alias_id]
        tokens = decoded.get(code)
        if tokens is None:
            tokens = decoded[code] = decode_tokens(code)
        if index._alias_weak[alias_id]:
            value = WEAK_ALIAS_SCORE if _same_surface(query.tokens, tokens) else 0.0
        else:
            value = compare(query.tokens, tokens)
        if value <= 0.0:
            return 0.0
        entity = index._entities[slot]
        if entity is None:  # removed
            return 0.0
        value += sum(r.effect for r in _qualifiers(entity, country, entity_type))
        key = (composite >> _ID_BITS, slot)
        if value >= floor and value > best.get(key, (-1.0, 0))[0]:
            best[key] = (value, composite)
        return value

    # Candidates are scored ``max_candidates`` at a time, best-ranked first. A name shared
    # by many listed parties (a common Chinese personal name, a generic company name) fills
    # the first slice with hits; while a slice still finds hits in its lower half, the
    # next slice is scored too, up to WIDEN_SLICES slices. A candidate that scores above
    # zero brings the other aliases of its party: the party's best alias is scored even
    # when its keys ranked it out (the Chinese name found, its pinyin alias not).
    step, late_hit = max(index.max_candidates for index in indexes), False
    candidates = _candidate_ids(indexes, query.tokens, step * WIDEN_SLICES)

    def score_with_siblings(composite: int) -> float:
        value = score(composite)
        if value > 0.0:
            shift = composite & ~_ID_MASK
            for sibling in indexes[composite >> _ID_BITS]._siblings(composite & _ID_MASK):
                if shift | sibling not in scored:
                    score(shift | sibling)
        return value

    stop = len(candidates)
    for position, composite in enumerate(candidates):
        if position and position % step == 0 and not late_hit:
            stop = position
            break
        if position % step == 0:
            late_hit = False
        if composite in scored:
            continue
        if score_with_siblings(composite) >= floor:
            late_hit = late_hit or position % step >= step // 2
    if best and stop < len(candidates):
        # The name has hits, and the ranking by keys stopped before its end: the rest of the
        # ranked candidates closest to the query as written (word order aside) get one more
        # slice. Names much like a hit often hold only common keys ("Yin Yanghong" for
        # "Kong Linyang": "hong" and "yinyang" are typo neighbours of the query's words).
        rest = [c for c in candidates[stop:] if c not in scored]
        for composite in heapq.nlargest(step, rest, key=_written_like(indexes, query.tokens)):
            if composite not in scored:
                score_with_siblings(composite)
    ranked = sorted(best.values(), key=lambda item: -item[0])[:limit]
    return [
        indexes[composite >> _ID_BITS]._hit(
            query.tokens,
            query.legal_forms,
            composite & _ID_MASK,
            country,
            entity_type,
            threshold,
            match_threshold,
        )
        for _, composite in ranked
    ]


# --------------------------------------------------------------------- artefact file
_MAGIC = b"ICPMIDX1"
# 2: keys gained Cantonese readings and Russian transliteration keys; aliases encode places.
# 3: short names gained order-free word-pair keys, joined word pairs affix keys, and
# their joined Latin word pairs are vocabulary (typo neighbours).
FORMAT_VERSION = 3
_FIELD, _NAME = "\x1f", "\x1e"


def _clean(text: str) -> str:
    return text.replace(_FIELD, " ").replace(_NAME, " ")


def _encode_entity(entity: ListEntity) -> str:
    names = _NAME.join(("1" if a.weak else "0") + _clean(a.text) for a in entity.names)
    return _FIELD.join(
        (
            _clean(entity.key),
            _clean(entity.entity_type or ""),
            ",".join(entity.countries),
            names,
        )
    )


def _string_table(strings: Iterable[str]) -> tuple[bytes, array]:
    data = bytearray()
    offsets = array("Q", [0])
    for text in strings:
        data += text.encode("utf-8")
        offsets.append(len(data))
    return bytes(data), offsets


class _StringTable:
    """Read-only list of strings stored as UTF-8 bytes and an offsets array."""

    __slots__ = ("_data", "_offsets")

    def __init__(self, data, offsets) -> None:
        self._data, self._offsets = data, offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> str:
        return str(self._data[self._offsets[i] : self._offsets[i + 1]], "utf-8")


class _FormsTable:
    """Each alias's forms, stored as one string table."""

    __slots__ = ("_strings",)

    def __init__(self, data, offsets) -> None:
        self._strings = _StringTable(data, offsets)

    def __len__(self) -> int:
        return len(self._strings)

    def __getitem__(self, i: int) -> tuple[str, ...]:
        text = self._strings[i]
        return tuple(text.split(_FIELD)) if text else ()


class _EntityTable:
    """Entities decoded from their stored record when a search needs one."""

    __slots__ = ("_strings",)

    def __init__(self, data, offsets) -> None:
        self._strings = _StringTable(data, offsets)

    def __len__(self) -> int:
        return len(self._strings)

    def __getitem__(self, i: int) -> ListEntity:
        key, entity_type, countries, names = self._strings[i].split(_FIELD)
        return ListEntity(
            key=key,
            names=tuple(
                Alias(text[1:], weak=text[0] == "1") for text in names.split(_NAME) if text
            ),
            entity_type=entity_type or None,
            countries=tuple(countries.split(",")) if countries else (),
        )


class _MappedFile:
    """Keeps the memory map alive as long as the index that reads it."""

    __slots__ = ("map", "size", "view")

    def __init__(self, path: str | os.PathLike) -> None:
        with open(path, "rb") as handle:
            self.map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self.view = memoryview(self.map)
        self.size = len(self.map)


def _write(index: MatchIndex, handle) -> int:
    """Write ``index`` as one file of flat arrays; returns the number of bytes written."""
    if index._extra_postings or len(index._slot) != len(index._entities):
        raise ValueError("compact the index (MatchIndex.build(index.entities())) first")
    code, code_offsets = _string_table(index._alias_code)
    forms, forms_offsets = _string_table(_FIELD.join(f) for f in index._alias_forms)
    vocab, vocab_offsets = _string_table(index._vocab)
    entities, entity_offsets = _string_table(
        _encode_entity(e) for e in index._entities if e is not None
    )
    post_h, post_o, post_i = index._postings.arrays()
    del_h, del_o, del_i = index._deletes.arrays()
    sections = {
        "post_h": post_h,
        "post_o": post_o,
        "post_i": post_i,
        "del_h": del_h,
        "del_o": del_o,
        "del_i": del_i,
        "alias_entity": index._alias_entity,
        "alias_pos": index._alias_pos,
        "alias_weak": index._alias_weak,
        "until": index._until,
        "code": code,
        "code_o": code_offsets,
        "forms": forms,
        "forms_o": forms_offsets,
        "vocab": vocab,
        "vocab_o": vocab_offsets,
        "entities": entities,
        "entities_o": entity_offsets,
    }
    layout: dict[str, list[int | str]] = {}
    sizes: dict[str, int] = {}
    position = 0
    for name, value in sections.items():
        fmt = value.typecode if isinstance(value, array) else "B"
        nbytes = sizes[name] = len(memoryview(value).cast("B"))
        layout[name] = [position, nbytes, fmt]
        position += (nbytes + 7) // 8 * 8
    header = json.dumps(
        {
            "format": FORMAT_VERSION,
            "byteorder": sys.byteorder,
            "max_candidates": index.max_candidates,
            "sections": layout,
        }
    ).encode()
    start = (len(_MAGIC) + 4 + len(header) + 7) // 8 * 8
    head = _MAGIC + len(header).to_bytes(4, "little") + header
    handle.write(head + b"\0" * (start - len(head)))
    written = start
    for name, value in sections.items():
        nbytes = sizes[name]
        handle.write(value)
        padding = (nbytes + 7) // 8 * 8 - nbytes
        handle.write(b"\0" * padding)
        written += nbytes + padding
    return written


def _load(path: str | os.PathLike) -> MatchIndex:
    mapped = _MappedFile(path)
    view = mapped.view
    if bytes(view[: len(_MAGIC)]) != _MAGIC:
        raise ValueError(f"{path} is not a match index file")
    header_len = int.from_bytes(view[len(_MAGIC) : len(_MAGIC) + 4], "little")
    header = json.loads(bytes(view[len(_MAGIC) + 4 : len(_MAGIC) + 4 + header_len]))
    if header["format"] != FORMAT_VERSION or header["byteorder"] != sys.byteorder:
        raise ValueError(f"{path}: unsupported index format")
    start = (len(_MAGIC) + 4 + header_len + 7) // 8 * 8

    def section(name: str):
        offset, nbytes, fmt = header["sections"][name]
        raw = view[start + offset : start + offset + nbytes]
        return raw if fmt == "B" else raw.cast(fmt)

    index = MatchIndex(header["max_candidates"])
    index._mapped = mapped
    index._postings = _PackedMultimap.from_arrays(
        section("post_h"), section("post_o"), section("post_i")
    )
    index._deletes = _PackedMultimap.from_arrays(
        section("del_h"), section("del_o"), section("del_i")
    )
    index._alias_entity = section("alias_entity")
    index._alias_pos = section("alias_pos")
    index._alias_weak = section("alias_weak")
    index._until = section("until")
    # A loaded index reads its tables in place of the lists a built one appends to.
    index._alias_code = _StringTable(section("code"), section("code_o"))  # type: ignore[assignment]
    index._alias_forms = _FormsTable(section("forms"), section("forms_o"))  # type: ignore[assignment]
    index._vocab = _StringTable(section("vocab"), section("vocab_o"))  # type: ignore[assignment]
    index._entities = _EntityTable(section("entities"), section("entities_o"))  # type: ignore[assignment]
    index._slot = {}
    return index
