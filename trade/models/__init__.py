from .control_list import ControlListEntry
from .item import Classification, Item
from .licence import Licence, LicenceDrawdown, PostShipmentDuty, ReportDuty
from .party import Party, PartyType, ScreeningStatus
from .review import (
    Answer,
    Approval,
    LicencePath,
    LicencePathOutcome,
    RedFlagAnswer,
    TransactionEvent,
)
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
    "Item",
    "Licence",
    "LicenceDecision",
    "LicenceDrawdown",
    "LicencePath",
    "LicencePathOutcome",
    "Party",
    "PartyRole",
    "PartyType",
    "PostShipmentDuty",
    "RedFlagAnswer",
    "ReportDuty",
    "RiskLevel",
    "ScreeningStatus",
    "Transaction",
    "TransactionEvent",
    "TransactionItem",
    "TransactionParty",
    "TransactionState",
]
