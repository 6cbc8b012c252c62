from .artefacts import ListIndexArtefact
from .lists import EntityType, ListedEntity, ListVersion, ScreeningList
from .parties import Party, PartyType, ScreeningStatus
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
    "Party",
    "PartyType",
    "Screening",
    "ScreeningHit",
    "ScreeningList",
    "ScreeningSettings",
    "ScreeningStatus",
]
