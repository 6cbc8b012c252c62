"""A stored datetime is in UTC: the date a person reads is the organisation's local date
(`timezone.localdate(value)`), never `value.date()`, which gives the day before for anything
done before 08:00 in Beijing."""

import ast
from pathlib import Path

import pytest

from tests.test_layers import APPS

ROOT = Path(__file__).resolve().parent.parent.parent
# `.date()` of a value like these is a UTC date.
_AWARE = ("_at", "now()")


def utc_dates(source: str, name: str) -> list[str]:
    """`x.date()` where x is a stored timestamp (`…_at`) or `now()`, alone or in arithmetic."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "date"
            and not node.args
        ):
            continue
        target = ast.get_source_segment(source, node.func.value) or ""
        if target.startswith(("timezone.localtime(", "localtime(")):
            continue
        names = [
            part.attr if isinstance(part, ast.Attribute) else getattr(part, "id", "")
            for part in ast.walk(node.func.value)
        ]
        if any(n.endswith("_at") for n in names) or "now()" in target:
            found.append(f"{name}:{node.lineno}: {target}.date()")
    return found


def test_no_module_takes_the_utc_date_of_a_stored_timestamp():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found += utc_dates(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "use timezone.localdate(value):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "x = latest.created_at.date()",
        "next_due = (audit.signed_off_at + datetime.timedelta(days=365)).date()",
        "today = timezone.now().date()",
    ],
)
def test_the_check_finds_each_form(source):
    assert utc_dates(source, "m.py")


@pytest.mark.parametrize(
    "source",
    [
        "x = timezone.localtime(latest.created_at).date()",
        "x = timezone.localdate(latest.created_at)",
        "x = cell.date()",  # a naive spreadsheet value
    ],
)
def test_the_check_leaves_local_dates_alone(source):
    assert not utc_dates(source, "m.py")
