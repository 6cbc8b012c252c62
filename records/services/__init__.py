"""Records services, one module per subject. Documents are attached and listed through
`document_attach` and `documents_for` (re-exported here: every app imports them from here)."""

from .documents import (  # noqa: F401
    ALLOWED_BINARY_TYPES,
    MAX_UPLOAD_BYTES,
    detect_content_type,
    document_attach,
    documents_for,
)
