"""Export transactions: create and change them, move them through review, hold and release.

States: draft -> in review -> approved / on hold / rejected. Approval needs a complete checklist
(services.review) and a compliance manager who neither created nor submitted the transaction and
breaks no segregation-of-duties rule; it is frozen with its evidence and draws down the licence.
A later change to a key element (KEY_FIELDS of the header; any line, party, end-user certificate
or licence decision) reopens the review; the one exception, a covered line's quantity or value
within the licence's balance, is added to the approval's `amendments`. System sentences are
stored as codes (trade.stored_text) and shown in the reader's language. Every function here is
keyword-only and raises ValidationError for a broken rule.

By subject: `common` (roles, events, state moves, reopening), `edit` (the header, the end-user
certificate, the licence decision), `lines`, `parties` (and screening them, and the re-check
after a list update), `red_flags`, `approvers` (who may approve), `decision` (submit, approve,
reject), `hold` (hold and release) and `shipment`.
"""

from .approvers import ApproverCheck, approver_check, transaction_approvers
from .common import transaction_reopen
from .decision import transaction_approve, transaction_reject, transaction_submit
from .edit import (
    EDITABLE_FIELDS,
    EUC_FIELDS,
    KEY_FIELDS,
    transaction_create,
    transaction_euc_record,
    transaction_licence_decide,
    transaction_update,
)
from .hold import transaction_hold, transaction_release
from .lines import transaction_line_add, transaction_line_remove, transaction_line_update
from .parties import (
    transaction_party_add,
    transaction_party_remove,
    transaction_screen_parties,
    transactions_recheck_after_rescreen,
)
from .red_flags import red_flag_answer, red_flag_resolve, red_flags_answer_many
from .shipment import shipment_licence_check, transaction_mark_shipped

__all__ = [
    "EDITABLE_FIELDS",
    "EUC_FIELDS",
    "KEY_FIELDS",
    "ApproverCheck",
    "approver_check",
    "red_flag_answer",
    "red_flag_resolve",
    "red_flags_answer_many",
    "shipment_licence_check",
    "transaction_approve",
    "transaction_approvers",
    "transaction_create",
    "transaction_euc_record",
    "transaction_hold",
    "transaction_licence_decide",
    "transaction_line_add",
    "transaction_line_remove",
    "transaction_line_update",
    "transaction_mark_shipped",
    "transaction_party_add",
    "transaction_party_remove",
    "transaction_reject",
    "transaction_release",
    "transaction_reopen",
    "transaction_screen_parties",
    "transaction_submit",
    "transaction_update",
    "transactions_recheck_after_rescreen",
]
