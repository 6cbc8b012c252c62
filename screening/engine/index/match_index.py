"""``MatchIndex``: building, the overlay of added and removed entities, writing the index
as one file of flat arrays and mapping such a file read-only."""

from __future__ import annotations

import json
import os
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise

import numpy as np
from rapidfuzz.distance import OSA

from ..model import (
    DEFAULT_THRESHOLD,
    MATCH_THRESHOLD,
    REVIEW_FLOOR,
    Hit,
    ListEntity,
    Reason,
    decide,
)
from ..normalise import Token, decode_tokens, normalise_name
from ..score import edit_budget, explain
from .artefact import (
    _FIELD,
    _MAGIC,
    FORMAT_VERSION,
    _encode_entity,
    _EntityTable,
    _FormsTable,
    _MappedFile,
    _string_table,
    _StringTable,
)
from .candidates import rank_candidates
from .keys import (
    _ID_BITS,
    _ID_MASK,
    MAX_SOUND_TOKENS,
    _deletes,
    _h,
    _PackedMultimap,
    _query_deletes,
    _query_hash,
    name_keys,
)
from .search import WEAK_ALIAS_SCORE, _qualifiers, search_many
from .segments import name_segment_keys, query_word_probes, word_segment_keys

NEIGHBOUR_CACHE = 4096


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
        # The typo neighbours of recent query words: generic words ("trading", "technology")
        # come back in name after name (at most NEIGHBOUR_CACHE words; emptied when full).
        self._neighbour_cache: dict[str, list[tuple[str, int]]] = {}
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
            deletes.extend((_h(d) << _ID_BITS) | word_id for d in _word_keys(word))
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
            if not alias.weak and not any(t.han for t in name.tokens):
                # The whole Latin name, for names two edits away (score.whole_name).
                keys.update(name_segment_keys("".join(t.latin for t in name.tokens)))
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
            for d in _word_keys(self._vocab[word_id]):
                self._extra_deletes.setdefault(_h(d), []).append(word_id)
        self._neighbour_cache.clear()

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
        return self._lookup_hash(_query_hash(key))

    def _lookup_hash(self, key_hash: int) -> array:
        found = self._postings.get(key_hash)
        extra = self._extra_postings.get(key_hash)
        return found + array("I", extra) if extra else found

    def _lookup_many(self, key_hashes: Sequence[int]) -> list[np.ndarray]:
        """``_lookup_hash`` of each hash, in one call (``_PackedMultimap.get_many``); the ids
        stay ascending (an alias added after the build has a larger id than all built ones)."""
        return _get_many(self._postings, self._extra_postings, key_hashes)

    def _neighbours(self, word: str, far: bool = False) -> list[tuple[str, int]]:
        """Vocabulary words within the edit budget of ``word`` (excluding itself); one edit
        away only, unless ``far``."""
        return self._neighbours_many([(word, far)])[0]

    def _neighbours_many(self, words: Sequence[tuple[str, bool]]) -> list[list[tuple[str, int]]]:
        """``_neighbours`` of each (word, far) pair; the words not remembered are looked up in
        the deletes table together, in one call."""
        cache = self._neighbour_cache
        names = ["%" + word if far else word for word, far in words]
        known = {name: cache[name] for name in names if name in cache}
        missing = {name: pair for name, pair in zip(names, words, strict=True) if name not in known}
        if missing:
            probes = [
                (_query_deletes(word), query_word_probes(word) if far else ())
                for word, far in missing.values()
            ]
            hashes = [h for deletes, segments in probes for h in (*deletes, *segments)]
            found = iter(self._word_ids_many(hashes))
            for name, (word, _), (deletes, segments) in zip(
                missing, missing.values(), probes, strict=True
            ):
                seen: set[int] = set()
                out: list[tuple[str, int]] = []
                self._collect_neighbours(word, [next(found) for _ in deletes], False, seen, out)
                # Two or three edits (long words): through the segment keys, within the
                # budget of the shorter word, as the scorer allows (score.edit_budget).
                self._collect_neighbours(word, [next(found) for _ in segments], True, seen, out)
                if len(cache) >= NEIGHBOUR_CACHE:
                    cache.clear()
                cache[name] = known[name] = out
        return [known[name] for name in names]

    def _collect_neighbours(
        self, word: str, found: list, shorter: bool, seen: set[int], out: list[tuple[str, int]]
    ) -> None:
        """Append to ``out`` the vocabulary words of ``found`` (id arrays, not in ``seen``)
        within the edit budget of ``word``, or of the shorter of the two words."""
        if not found:
            return
        budget = edit_budget(len(word))
        for word_id in np.concatenate(found).tolist():
            if word_id in seen:
                continue
            seen.add(word_id)
            other = self._vocab[word_id]
            if shorter:
                budget = edit_budget(min(len(word), len(other)))
            if other != word and abs(len(other) - len(word)) <= budget:
                edits = OSA.distance(word, other, score_cutoff=budget)
                if edits <= budget:
                    out.append((other, edits))

    def _word_ids_many(self, key_hashes: Sequence[int]) -> list[np.ndarray]:
        """The vocabulary words filed under each hash in the deletes table (id arrays)."""
        return _get_many(self._deletes, self._extra_deletes, key_hashes)

    def _word_ids(self, key_hash: int) -> list[int]:
        """The vocabulary words filed under ``key_hash`` in the deletes table."""
        return self._deletes.get(key_hash).tolist() + self._extra_deletes.get(key_hash, [])

    def _in_vocabulary(self, word: str) -> bool:
        """True when ``word`` is a vocabulary word (a word of the deletes table is filed under
        itself too)."""
        return any(self._vocab[i] == word for i in self._word_ids(_query_hash(word)))

    def _candidate_ids(self, tokens: Sequence[Token], limit: int | None = None) -> list[int]:
        """Alias ids sharing keys with the query, best summed IDF first, at most ``limit``
        (``max_candidates`` by default)."""
        return rank_candidates((self,), tokens, limit or self.max_candidates).ids

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


def _get_many(
    table: _PackedMultimap, overlay: dict[int, list[int]], key_hashes: Sequence[int]
) -> list[np.ndarray]:
    """The ids of each hash in a built table, followed by those the overlay added after the
    build (larger ids, so each list stays ascending)."""
    found = table.get_many(key_hashes)
    if overlay:
        for i, key_hash in enumerate(key_hashes):
            if extra := overlay.get(key_hash):
                found[i] = np.concatenate((found[i], np.array(extra, dtype=np.uint32)))
    return found


def _word_keys(word: str) -> list[str]:
    """What a vocabulary word is filed under in the deletes table: its delete-1 variants
    and itself, and the segment keys that two or three edits reach."""
    return [*_deletes(word), *word_segment_keys(word)]


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
