"""E9 ICP manual: render the programme into a PDF (and an editable .docx) and keep each version.

`manual_render` turns the live programme data into the manual's HTML and WeasyPrint's PDF, with
the figures the benchmark reports. `manual_generate` stores one numbered `ManualVersion`; with a
job it is idempotent: a job that already produced its artefact (a retried or redelivered job
whose worker died after saving) gets that artefact back and nothing is rendered again.

By subject: `rendering` (the document control block, the manual's context, and rendering it)
and `versions` (numbered versions: generating, requesting, reviewing, approving and issuing).
"""

from .rendering import (
    DOCUMENT_LANGUAGE,
    TEMPLATE,
    DocumentControl,
    Progress,
    RenderedManual,
    RevisionRow,
    Signer,
    document_control,
    manual_context,
    manual_render,
)
from .versions import (
    NUMBER_ATTEMPTS,
    manual_approve,
    manual_generate,
    manual_issue,
    manual_request,
    manual_review,
)

__all__ = [
    "DOCUMENT_LANGUAGE",
    "NUMBER_ATTEMPTS",
    "TEMPLATE",
    "DocumentControl",
    "Progress",
    "RenderedManual",
    "RevisionRow",
    "Signer",
    "document_control",
    "manual_approve",
    "manual_context",
    "manual_generate",
    "manual_issue",
    "manual_render",
    "manual_request",
    "manual_review",
]
