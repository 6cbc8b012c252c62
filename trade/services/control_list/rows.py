"""The rows of a control list and of a customs catalogue checked, every bad row named."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.imports import RowProblem
from trade.models.control_list import (
    CATEGORY_PATTERN,
    CONTROL_CODE_MAX_LENGTH,
    CONTROL_CODE_PATTERN,
    HS_CODE_PATTERN,
)


def _control_list_rows(header, data) -> tuple[list[dict], list[RowProblem]]:
    """The entries of a control list file and the problems of the rows it cannot take."""
    if "code" not in header or not ({"description_zh", "description_en"} & set(header)):
        raise ValidationError(
            _("Row 1: the header needs code and description_zh or description_en.")
        )
    errors, rows = [], []
    seen: dict[str, int] = {}  # code -> the row that first named it
    for number, row in data:
        code = row.get("code", "")
        if len(code) > CONTROL_CODE_MAX_LENGTH or not (
            CONTROL_CODE_PATTERN.match(code) or CATEGORY_PATTERN.match(code)
        ):
            errors.append(RowProblem(number, "code", _not_a_control_code(code)))
            continue
        if not (row.get("description_zh") or row.get("description_en")):
            errors.append(RowProblem(number, "description_zh", _("the description is missing.")))
            continue
        category = row.get("category", "")
        if category and category[:1] != code[0]:
            errors.append(
                RowProblem(
                    number,
                    "category",
                    _("category %(category)s does not match code %(code)s.")
                    % {"category": category, "code": code},
                )
            )
            continue
        if code in seen:
            errors.append(
                RowProblem(
                    number,
                    "code",
                    _("code %(code)s already appears in row %(first)d.")
                    % {"code": code, "first": seen[code]},
                )
            )
            continue
        seen[code] = number
        rows.append(
            {
                "key": code,
                "description_zh": row.get("description_zh", ""),
                "description_en": row.get("description_en", ""),
                "parameters": row.get("parameters", ""),
                "control_reason": row.get("control_reason", "")[:200],
                "keywords": row.get("keywords", "")[:500],
                "hs_codes": row.get("hs_codes", "")[:200],
                "announcement": row.get("announcement", "")[:200],
                "source_label": row.get("source", "")[:200],
                "status_note": row.get("status_note", "")[:300],
            }
        )
    return rows, errors


def _catalogue_rows(header, data, edition: str) -> tuple[list[dict], list[RowProblem]]:
    """The entries of a customs catalogue file and the problems of the rows it cannot take."""
    if "hs_code" not in header or not ({"description_zh", "description_en"} & set(header)):
        raise ValidationError(
            _("Row 1: the header needs hs_code and description_zh or description_en.")
        )
    errors, rows = [], []
    seen: dict[str, int] = {}  # code -> the row that first named it
    for number, row in data:
        hs_code = row.get("hs_code", "").replace(".", "").replace(" ", "")
        if not HS_CODE_PATTERN.match(hs_code):
            errors.append(
                RowProblem(
                    number,
                    "hs_code",
                    _("'%(code)s' is not an HS code of 8 or 10 digits.")
                    % {"code": row.get("hs_code", "")},
                )
            )
            continue
        if not (row.get("description_zh") or row.get("description_en")):
            errors.append(RowProblem(number, "description_zh", _("the description is missing.")))
            continue
        bad = [
            c
            for c in row.get("control_codes", "").replace(",", " ").split()
            if not CONTROL_CODE_PATTERN.match(c)
        ]
        if bad:
            errors.append(RowProblem(number, "control_codes", _not_a_control_code(bad[0])))
            continue
        if hs_code in seen:
            errors.append(
                RowProblem(
                    number,
                    "hs_code",
                    _("HS code %(code)s already appears in row %(first)d.")
                    % {"code": hs_code, "first": seen[hs_code]},
                )
            )
            continue
        seen[hs_code] = number
        rows.append(
            {
                "key": hs_code,
                "description_zh": row.get("description_zh", ""),
                "description_en": row.get("description_en", ""),
                "control_codes": " ".join(row.get("control_codes", "").replace(",", " ").split())[
                    :300
                ],
                "remarks": row.get("remarks", "")[:300],
                "edition": edition[:60],
                "source_label": row.get("source", "")[:200],
            }
        )
    return rows, errors


def _not_a_control_code(code: str) -> str:
    return _("'%(code)s' is not a control code such as 1C351 or 3A001.a.1.a.") % {"code": code}
