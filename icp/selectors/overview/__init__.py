"""The programme overview: each element's status computed from the organisation's own records,
and the readiness check for a general licence (Dual-Use Regulations 2024, Art. 16).

Nothing here is typed in: a status changes when the data behind it changes. The number of
queries is fixed, whatever the size of the organisation.

By element group: `common` (the states, targets and what an element's status says), `governance`
(E1 policy, E2 organisation, E9 manual), `operations` (E3 risk, E4 transaction review, E5
emergency response), `assurance` (E6 training, E7 audits, E8 records), `programme` (the overview
of all nine) and `readiness` (the general licence's conditions).
"""

from .assurance import AuditResult, last_audit_result
from .common import (
    ACKNOWLEDGEMENT_TARGET,
    ATTENTION,
    MISSING,
    OK,
    RISK_ASSESSMENT_VALIDITY,
    STABLE_SHARE,
    STABLE_WINDOW_DAYS,
    TRAINING_TARGET,
    ElementStatus,
)
from .programme import programme_overview
from .readiness import (
    ReadinessCheck,
    general_licence_conditions,
    general_licence_readiness,
    shipped_links,
)

__all__ = [
    "ACKNOWLEDGEMENT_TARGET",
    "ATTENTION",
    "MISSING",
    "OK",
    "RISK_ASSESSMENT_VALIDITY",
    "STABLE_SHARE",
    "STABLE_WINDOW_DAYS",
    "TRAINING_TARGET",
    "AuditResult",
    "ElementStatus",
    "ReadinessCheck",
    "general_licence_conditions",
    "general_licence_readiness",
    "last_audit_result",
    "programme_overview",
    "shipped_links",
]
