"""Inspection and customs bundles: a ZIP an inspector can check on their own.

Layout of the archive:

    index.pdf                         summary, evidence, approvals (core.pdf.render_pdf)
    records/<nn>-<record>/<file>      the original documents, byte for byte
    manifest.json                     what is in the bundle, with each file's SHA-256 and size
    SHA256SUMS                        `sha256sum -c SHA256SUMS` verifies every file, offline

A scope collects the records: one transaction, every transaction of a period, or everything
under a legal hold. Each scope is a function registered with `@bundle_scope(name)` returning
`BundleRecord`s; new apps add theirs the same way.

By subject: `common` (records, sections, the scope registry), `transaction` (one transaction's
record), `scopes` (the registered scopes and the cover's statement of scope) and `archive`
(building the ZIP with its index PDF and manifest, and verifying it).
"""

from .archive import CHUNK_BYTES, SPOOL_BYTES, bundle_build, bundle_verify
from .common import BundleRecord, BundleSection, bundle_scope, bundle_scopes
from .scopes import bundle_is_empty
from .transaction import transaction_bundle_record

__all__ = [
    "CHUNK_BYTES",
    "SPOOL_BYTES",
    "BundleRecord",
    "BundleSection",
    "bundle_build",
    "bundle_is_empty",
    "bundle_scope",
    "bundle_scopes",
    "bundle_verify",
    "transaction_bundle_record",
]
