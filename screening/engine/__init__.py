"""Restricted-party name matching engine (plain Python, no Django).

Public API: ``Alias``, ``ListEntity``, ``MatchIndex``, ``Hit``, ``Reason``, ``Decision``,
``decide``, ``normalise_name`` and ``NormalisedName``. See docs/screening-engine.md.
"""

from .index import MatchIndex
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
    "normalise_name",
]
