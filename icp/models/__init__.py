"""The programme's models, one module per subject (reference library, and one per element)."""

from .reference import (  # noqa: F401
    AuditQuestion,
    Confidence,
    Element,
    LegalProvision,
    RedFlag,
    ReferenceFramework,
    ReferenceItem,
    ReferenceSource,
    Requirement,
)
