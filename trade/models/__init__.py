from .control_list import ControlListEntry, ControlListVersion, CustomsCatalogueEntry
from .item import Classification, Item, MofcomConsultation
from .licence import Licence, LicenceDrawdown
from .party import Party, PartyType, ScreeningStatus
from .review import Answer, Approval, RedFlagAnswer, TransactionEvent
from .transaction import (
    LicenceDecision,
    PartyRole,
    RiskLevel,
    Transaction,
    TransactionItem,
    TransactionParty,
    TransactionState,
)

__all__ = [
    "Answer",
    "Approval",
    "Classification",
    "ControlListEntry",
    "ControlListVersion",
    "CustomsCatalogueEntry",
    "Item",
    "Licence",
    "LicenceDecision",
    "LicenceDrawdown",
    "MofcomConsultation",
    "Party",
    "PartyRole",
    "PartyType",
    "RedFlagAnswer",
    "RiskLevel",
    "ScreeningStatus",
    "Transaction",
    "TransactionEvent",
    "TransactionItem",
    "TransactionParty",
    "TransactionState",
]
