"""The apps import only downward (the import-linter contract in pyproject.toml, also run by
`make lint`), and no cross-app import hides inside a function without a comment saying why."""

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "core", "records", "screening", "trade", "audits", "icp")
APPS += ("chambers", "notices", "onboarding", "providers", "reference", "outreach")


def test_the_layers_contract_is_kept():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def _hidden_imports(path: Path, app: str) -> list[str]:
    """In-function imports of another app of ours with no comment on their line or above the
    block of imports they belong to. AppConfig.ready() is the place Django asks for them."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            top = {module.split(".")[0] for module in modules}
            if not (top & set(APPS)) or top == {app}:
                continue
            if path.name == "apps.py":
                continue
            index = node.lineno - 1
            if "#" in lines[index]:
                continue
            above = index - 1
            while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
                above -= 1
            if above >= 0 and lines[above].strip().startswith("#"):
                continue
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_cross_app_import_hides_in_a_function_without_a_reason():
    hidden = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                hidden += _hidden_imports(path, app)
    assert hidden == [], "say why in a comment, or import at the top: " + ", ".join(hidden)


def test_the_check_finds_a_hidden_import(tmp_path):
    """The scan above is not vacuous: it reports an uncommented in-function import."""
    module = tmp_path / "example.py"
    module.write_text(
        "def f():\n    from trade.models import Party\n\n"
        "def g():\n    # Why: a reason.\n    from trade.models import Party\n",
        encoding="utf-8",
    )
    original = ROOT
    try:
        globals()["ROOT"] = tmp_path
        assert _hidden_imports(module, "records") == ["example.py:2"]
    finally:
        globals()["ROOT"] = original


def test_the_graph_in_the_development_docs_is_the_contract():
    import re
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    expected = [{name.strip() for name in layer.split("|")} for layer in contract["layers"]]
    docs = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    block = docs.split("<!-- layers:", 1)[1].split("```")[1]
    drawn = []
    for line in block.splitlines():
        names = {word for word in re.findall(r"[a-z]+", line) if word in APPS}
        if names:
            drawn.append(names)
    assert drawn == expected
