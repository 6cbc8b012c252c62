"""The artefact file's format: its magic and version, and the read-only tables a mapped file
is read through (strings, alias forms, entities, the memory map itself)."""

from __future__ import annotations

import mmap
import os
from array import array
from collections.abc import Iterable

from ..model import Alias, ListEntity

# --------------------------------------------------------------------- artefact file
_MAGIC = b"ICPMIDX1"
# 2: keys gained Cantonese readings and Russian transliteration keys; aliases encode places.
# 3: short names gained order-free word-pair keys, joined word pairs affix keys, and
# their joined Latin word pairs are vocabulary (typo neighbours).
# 4: whole Latin names and long vocabulary words gained segment keys (two or three edits).
FORMAT_VERSION = 4
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
