"""Records (element 8): documents, retention, legal holds, disposal, the hash-chained event log
and the notification centre, one module per subject."""

from .capture import DatabaseChange, DatabaseOperation  # noqa: F401
from .documents import Document, DocumentQuerySet, document_upload_to  # noqa: F401
from .events import ChainHead, EventLogEntry  # noqa: F401
from .notifications import DigestDelivery, Notification, ReminderPreference  # noqa: F401
from .retention import (  # noqa: F401
    LEGAL_MINIMUM_YEARS,
    DisposalRecord,
    DisposalRequest,
    LegalHold,
    RetainedRecord,
    RetentionError,
    RetentionRule,
    StartEvent,
)
