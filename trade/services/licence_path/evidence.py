"""The paths as the review record and the inspection bundle print them, and as an approval
freezes them."""

from trade.licensing_reference import current_licensing_reference
from trade.review_text import citations

from .common import ANSWER_LABELS, ctx_fingerprint, finding_text, path_of


def path_rows(ctx) -> list[dict]:
    """Each line's path as the review record and the inspection bundle print it, in the
    reader's language (no queries beyond the review context)."""
    reference = current_licensing_reference()
    rows = []
    for line in ctx.lines:
        path = path_of(line)
        if path is None:
            rows.append({"line": line, "path": None})
            continue
        answers = []
        for code, value in path.answers.items():
            question = reference.question(code)
            answers.append(
                (str(question.text) if question else code, str(ANSWER_LABELS.get(value, value)))
            )
        case = reference.voucher_case(path.voucher_case) if path.voucher_case else None
        rows.append(
            {
                "line": line,
                "path": path,
                "outcome": path.get_outcome_display(),
                "basis": citations(path.basis),
                "findings": [text for text in map(finding_text, path.findings) if text],
                "answers": answers,
                "voucher_case": str(case.text) if case else "",
                "stale": path.fingerprint != ctx_fingerprint(ctx, line),
            }
        )
    return rows


def path_evidence(ctx) -> list[dict]:
    """The paths as plain data, frozen with an approval."""
    return [
        {
            "line_id": line.pk,
            "outcome": path.outcome,
            "answers": path.answers,
            "voucher_case": path.voucher_case,
            "basis": path.basis,
            "licence_id": path.licence_id,
            "reference_version": path.reference_version,
            "walked_by": str(path.walked_by),
            "walked_at": path.walked_at.isoformat(),
            "confirmed_by": str(path.confirmed_by or ""),
            "confirmed_at": path.confirmed_at.isoformat() if path.confirmed_at else None,
        }
        for line in ctx.lines
        if (path := path_of(line)) is not None
    ]
