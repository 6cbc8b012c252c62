"""The review checklist of an export transaction, computed from the data, never typed in.

1. every item classified; 2. every party screened on the current list versions and every hit
decided; 3. the red-flag questionnaire answered, blocking flags resolved; 4. a valid end-user
certificate where an item is controlled; 5. the licence decision recorded and consistent.

`review_context` loads everything a check needs in a fixed number of queries (independent of the
number of items, parties or flags); `review_checklist` turns it into five checks with their
problems and where to fix them. `transaction_refresh` keeps the answers pre-filled from data and
the queue columns (risk, checks open) up to date; every service that changes a transaction
calls it.
"""

from .checks import licence_needs, review_checklist
from .context import (
    CN_LIST_KEYWORDS,
    Check,
    PartyScreening,
    Problem,
    ReviewContext,
    hit_is_decided,
    list_kind,
    review_context,
)
from .red_flags import red_flags_prefill
from .refresh import transaction_refresh

__all__ = [
    "CN_LIST_KEYWORDS",
    "Check",
    "PartyScreening",
    "Problem",
    "ReviewContext",
    "hit_is_decided",
    "licence_needs",
    "list_kind",
    "red_flags_prefill",
    "review_checklist",
    "review_context",
    "transaction_refresh",
]
