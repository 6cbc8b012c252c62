"""Plain data types of the public API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

DEFAULT_THRESHOLD = 0.85
MATCH_THRESHOLD = 0.95
REVIEW_FLOOR = 0.70


class Decision(StrEnum):
    CLEAR = "clear"
    POTENTIAL_MATCH = "potential_match"
    MATCH = "match"


def decide(
    score: float, threshold: float = DEFAULT_THRESHOLD, match_threshold: float = MATCH_THRESHOLD
) -> Decision:
    """Map a score to a decision: ``match`` at ``match_threshold``, ``potential_match`` at
    ``threshold``, otherwise ``clear``."""
    if score >= max(match_threshold, threshold):
        return Decision.MATCH
    if score >= threshold:
        return Decision.POTENTIAL_MATCH
    return Decision.CLEAR


@dataclass(frozen=True, slots=True)
class Alias:
    """One name of a listed party. ``weak`` aliases (e.g. UN "Low" quality, short
    abbreviations) only ever match exactly."""

    text: str
    weak: bool = False
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class ListEntity:
    """A listed party. ``entity_type`` is ``person``, ``organization``, ``vessel``, ... or
    None when the list does not say; ``countries`` are ISO 3166 alpha-2 codes.
    ``delisted_on``: from that day on the party is no longer listed and ``search(on=...)``
    leaves it out, so an index never has to be rebuilt because a date passed."""

    key: str
    names: tuple[Alias, ...] | list[Alias]
    entity_type: str | None = None
    countries: tuple[str, ...] = ()
    delisted_on: date | None = None


_TEMPLATES = {
    "word_exact": "'{query}' = '{listed}' (exact)",
    "word_pinyin": "'{query}' = '{listed}' (pinyin reading)",
    "word_homophone": "'{query}' ~ '{listed}' (same pinyin, different characters)",
    "word_typo": "'{query}' ~ '{listed}' ({edits} edit(s))",
    "word_spacing": "'{query}' = '{listed}' (spacing differs)",
    "word_initial": "'{query}' = '{listed}' (initial)",
    "word_cantonese": "'{query}' ~ '{listed}' (Cantonese reading)",
    "word_transliteration": "'{query}' ~ '{listed}' (another transliteration)",
    "query_word_unmatched": "query word '{word}' not in listed name",
    "listed_word_unmatched": "listed word '{word}' not in query",
    "generic_words_only": "only generic words or places matched (score x {factor})",
    "whole_name_spacing": "'{query}' = '{listed}' apart from spacing",
    "whole_name_typo": "'{query}' ~ '{listed}' ({edits} edit(s) in the whole name)",
    "weak_alias_exact": "exact match on weak alias '{listed}'",
    "legal_form_same": "legal form agrees: {query} / {listed}",
    "legal_form_differs": "legal form differs: {query} / {listed} (no effect)",
    "country_match": "country matches: {country}",
    "country_related": "related territories: {query} / {listed} (no effect)",
    "country_conflict": "country conflict: query {query}, listed {listed}",
    "type_conflict": "party type conflict: query {query}, listed {listed}",
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One explanation item, as data. ``code`` is a stable identifier the UI translates;
    ``params`` fill its template; ``effect`` is the score change for qualifiers (0 for
    name-matching items, whose effect is the score itself)."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    effect: float = 0.0

    def __str__(self) -> str:
        text = _TEMPLATES[self.code].format(**self.params)
        return f"{text} [{self.effect:+.2f}]" if self.effect else text

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "params": dict(self.params), "effect": self.effect}


@dataclass(frozen=True, slots=True)
class Hit:
    """One listed party found for a query name, with its best-matching alias."""

    entity_key: str
    alias: Alias
    score: float
    decision: Decision
    reasons: tuple[Reason, ...]

    def explain(self) -> str:
        return "; ".join(str(reason) for reason in self.reasons)
