"""Restricted-party name matching engine (plain Python, no Django).

Public API: ``Alias``, ``ListEntity``, ``MatchIndex``, ``Hit``, ``Reason``, ``Decision``,
``decide``, ``normalise_name``, ``NormalisedName`` and ``search_many``.
See docs/screening-engine.md.
"""

# First: refuses compiled modules older than their source before any is imported.
from . import native
from .index import MatchIndex, search_many
from .model import (
    DEFAULT_THRESHOLD,
    MATCH_THRESHOLD,
    REVIEW_FLOOR,
    Alias,
    Decision,
    Hit,
    ListEntity,
    Reason,
    decide,
)
from .normalise import NormalisedName, Token, normalise_name

__all__ = [
    "DEFAULT_THRESHOLD",
    "MATCH_THRESHOLD",
    "REVIEW_FLOOR",
    "Alias",
    "Decision",
    "Hit",
    "ListEntity",
    "MatchIndex",
    "NormalisedName",
    "Reason",
    "Token",
    "decide",
    "native",
    "normalise_name",
    "search_many",
]
