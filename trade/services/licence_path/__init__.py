"""The licensing decision path of one transaction line (REGS Arts. 13-20, ECL Art. 12).

1. Is the item on the control list or under a temporary control? Unsure, or a classification
   that says "consult MOFCOM": the path ends in "consult MOFCOM first".
2. Not listed: the catch-all questions (ECL Art. 12(3), REGS Art. 14(3)).
3. Destination, end-user and end-use restrictions: the destination measures of the reference
   data, the questions that apply to the destination (the 2024 measure on US military users),
   parties on MOFCOM's control list (from screening or answered) and watch list.
4. The outcome with its legal basis: prohibited; single licence; general licence (only a
   general licence the organisation holds that fits the line); export voucher by registration
   (REGS Arts. 15 and 19, in the cases the reference data names, not for watch-listed parties);
   licence-or-report (catch-all); or no licence needed.

`licence_path_evaluate` is pure (no writes, no queries beyond what it is given);
`licence_path_walk` records it. The questions and cases are reference data
(trade.licensing_reference). A path records a fingerprint of the line's key data: when the
item, its classification, the destination, the end use, the parties or the reference version
change, the path is out of date and check 5 asks for it to be walked again.

By subject: `common` (outcomes, findings, the fingerprint), `evaluate` (the questions to the
outcome), `record` (walking, confirming, the licence decision the paths settle) and `evidence`
(the paths as printed and as frozen with an approval).
"""

from .common import (
    ANSWER_LABELS,
    FINDINGS,
    NEEDS_LICENCE,
    RESTRICTED_ROLES,
    STOPS,
    Outcome,
    ctx_fingerprint,
    finding_text,
    line_fingerprint,
    path_of,
)
from .evaluate import PathResult, licence_path_evaluate
from .evidence import path_evidence, path_rows
from .record import (
    control_list_matches,
    decision_from_paths,
    held_licences,
    licence_path_confirm,
    licence_path_walk,
)

__all__ = [
    "ANSWER_LABELS",
    "FINDINGS",
    "NEEDS_LICENCE",
    "RESTRICTED_ROLES",
    "STOPS",
    "Outcome",
    "PathResult",
    "control_list_matches",
    "ctx_fingerprint",
    "decision_from_paths",
    "finding_text",
    "held_licences",
    "licence_path_confirm",
    "licence_path_evaluate",
    "licence_path_walk",
    "line_fingerprint",
    "path_evidence",
    "path_of",
    "path_rows",
]
