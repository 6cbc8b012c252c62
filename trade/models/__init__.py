from .control_list import ControlListEntry, ControlListVersion, CustomsCatalogueEntry
from .item import Classification, Item, MofcomConsultation
from .licence import Licence, LicenceDrawdown, PostShipmentDuty, ReportDuty
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
    "ControlListVersion",
    "CustomsCatalogueEntry",
    "Item",
    "Licence",
    "LicenceDecision",
    "LicenceDrawdown",
    "LicencePath",
    "LicencePathOutcome",
    "MofcomConsultation",
    "PartyRole",
    "PostShipmentDuty",
    "RedFlagAnswer",
    "ReportDuty",
    "RiskLevel",
    "Transaction",
    "TransactionEvent",
    "TransactionItem",
    "TransactionParty",
    "TransactionState",
]
