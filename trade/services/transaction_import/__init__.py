"""Import export transactions (and the parties and items they name) from CSV or XLSX.

One row per item line; rows with the same reference form one transaction. All or nothing: any
bad row rejects the whole file, and every error names its row and reason. The format is
documented in docs/transactions-import.md.

By subject: `read` (the file into rows), `check` (every row checked into a plan; the preview),
`create` (the plan's draft transactions, parties and items) and `receive` (a transaction pushed
by an ERP through the API).
"""

from .check import transactions_preview
from .create import ROLE_PARTY_TYPES, ImportOutcome, transactions_import
from .read import MAX_ROWS, read_rows
from .receive import HEADER_FIELDS, transaction_receive

__all__ = [
    "HEADER_FIELDS",
    "MAX_ROWS",
    "ROLE_PARTY_TYPES",
    "ImportOutcome",
    "read_rows",
    "transaction_receive",
    "transactions_import",
    "transactions_preview",
]
