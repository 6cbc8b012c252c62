"""No app module grows past MAX_LINES (issue #13): a module that does become a subject package,
as trade/services/transaction/ and trade/views/ did. Migrations, tests and demo data modules
(demo*.py) are not counted.

OVER_THE_LIMIT names the modules still over, each with its reason. The list only shrinks: a
listed module that is split (or no longer exists) fails until its entry is removed, and nothing
is added to it (the ceiling below goes down with every removal, never up)."""

from pathlib import Path

from tests.test_layers import APPS

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 500

OVER_THE_LIMIT = {}
CEILING = 0  # len(OVER_THE_LIMIT): every module is within the limit; keep it so


def app_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT / app).parts
            if "migrations" in parts or "tests" in parts or path.name.startswith("demo"):
                continue
            found.append(path)
    return found


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def over_the_limit(paths: list[Path], root: Path) -> dict[str, int]:
    """{module: lines} of the modules over MAX_LINES and not on the allow-list."""
    over = {str(path.relative_to(root)): line_count(path) for path in paths}
    return {
        name: lines
        for name, lines in over.items()
        if lines > MAX_LINES and name not in OVER_THE_LIMIT
    }


def test_no_app_module_is_over_the_limit():
    new = over_the_limit(app_modules(), ROOT)
    assert new == {}, f"over {MAX_LINES} lines: make these subject packages"


def test_the_allow_list_only_shrinks():
    counted = {str(path.relative_to(ROOT)) for path in app_modules()}
    stale = [
        name
        for name in OVER_THE_LIMIT
        if name not in counted or line_count(ROOT / name) <= MAX_LINES
    ]
    assert stale == [], "split or gone: remove from OVER_THE_LIMIT and lower CEILING"
    assert len(OVER_THE_LIMIT) <= CEILING


def test_the_check_finds_a_long_module(tmp_path):
    """Not vacuous: the scan finds app modules (the split ones among them), skips migrations
    and demo data, and reports a module one line over."""
    names = {str(path.relative_to(ROOT)) for path in app_modules()}
    assert "trade/services/transaction/decision.py" in names
    assert "trade/views/transactions/review.py" in names
    assert not any("/migrations/" in name for name in names)
    assert "trade/demo_transactions.py" not in names
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    found = over_the_limit(sorted(tmp_path.glob("*.py")), tmp_path)
    assert found == {"long.py": MAX_LINES + 1}
