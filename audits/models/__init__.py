"""The audits app's models by subject: `plan` (the annual plan and its entries), `audit` (the
audit, the sign-off freeze, addenda and report versions), `checklist` (the checklist items),
`findings` (findings and corrective actions) and `checklist_template`."""

from .audit import (
    Audit,
    AuditAddendum,
    AuditFrozenError,
    AuditReport,
    AuditStatus,
)
from .checklist import Answer, ChecklistItem, ItemKind, TransactionCheck
from .checklist_template import ChecklistTemplate, TemplateQuestion
from .findings import ActionStatus, CorrectiveAction, Finding, Severity
from .plan import RECURRENCE_MONTHS, AuditPlan, AuditType, PlanEntry, Recurrence

__all__ = [
    "RECURRENCE_MONTHS",
    "ActionStatus",
    "Answer",
    "Audit",
    "AuditAddendum",
    "AuditFrozenError",
    "AuditPlan",
    "AuditReport",
    "AuditStatus",
    "AuditType",
    "ChecklistItem",
    "ChecklistTemplate",
    "CorrectiveAction",
    "Finding",
    "ItemKind",
    "PlanEntry",
    "Recurrence",
    "Severity",
    "TemplateQuestion",
    "TransactionCheck",
]
