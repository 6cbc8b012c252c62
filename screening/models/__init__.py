from .artefacts import ListIndexArtefact
from .lists import EntityType, ListedEntity, ListVersion, ScreeningList
from .screenings import (
    Adjudication,
    HitDecision,
    ImmutableRecordError,
    Screening,
    ScreeningHit,
    ScreeningSettings,
)

__all__ = [
    "Adjudication",
    "EntityType",
    "HitDecision",
    "ImmutableRecordError",
    "ListIndexArtefact",
    "ListVersion",
    "ListedEntity",
    "Screening",
    "ScreeningHit",
    "ScreeningList",
    "ScreeningSettings",
]
