"""The programme's models, one module per element subject (the reference library is the
`reference` app)."""

from .emergency import (  # noqa: F401
    REPORTABLE_SCENARIOS,
    Incident,
    IncidentAction,
    IncidentEvent,
    ResponsePlan,
    Scenario,
)
from .licence_readiness import (  # noqa: F401
    DISQUALIFIER_QUESTIONS,
    Disqualifier,
    DisqualifierAnswer,
)
from .manual import (  # noqa: F401
    ManualEdition,
    ManualLanguage,
    ManualSettings,
    ManualStatus,
    ManualVersion,
    RevisionReason,
)
from .organisation import ComplianceBody, Duty, Position, SodRule  # noqa: F401
from .policy import PolicyAcknowledgement, PolicyStatus, PolicyVersion  # noqa: F401
from .risk import (  # noqa: F401
    DestinationRisk,
    DestinationRiskLevel,
    DestinationScope,
    RiskAssessment,
    RiskBand,
    RiskCategory,
    RiskFactor,
)
from .training import (  # noqa: F401
    ALL_STAFF,
    Attendance,
    Course,
    QuizAttempt,
    TrainingFunction,
    TrainingProfile,
    TrainingSession,
)
