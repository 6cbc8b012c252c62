"""The production lock carries what the code imports, pinned directly, and no test tools."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
NOT_PRODUCTION = {"tests", "bench", "scripts", ".venv", "var", "node_modules"}
DEV_TOOLS = {"pytest", "pytest-django", "pytest-xdist", "playwright", "moto", "factory-boy", "ruff"}


def _names(path: Path) -> set[str]:
    pattern = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._\-]*)(\[[^\]]*\])?==", re.MULTILINE)
    return {m.group(1).lower().replace("_", "-") for m in pattern.finditer(path.read_text())}


def _imported_modules() -> set[str]:
    local = {p.name for p in BASE_DIR.iterdir() if p.is_dir()} | {"manage"}
    modules = set()
    for path in BASE_DIR.rglob("*.py"):
        if NOT_PRODUCTION & set(path.relative_to(BASE_DIR).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m not in local}


def test_every_package_the_code_imports_is_pinned_in_the_runtime_requirements():
    direct = _names(BASE_DIR / "requirements.in")
    distributions = packages_distributions()
    missing = {}
    for module in _imported_modules():
        names = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not names & direct:
            missing[module] = sorted(names)
    assert not missing, f"imported by the code but not pinned in requirements.in: {missing}"


def test_the_runtime_lock_has_no_test_or_development_tools_and_pins_every_package_by_hash():
    lock = (BASE_DIR / "requirements.txt").read_text()
    assert not _names(BASE_DIR / "requirements.txt") & DEV_TOOLS
    pins = re.findall(r"^\S+==\S+.*$", lock, re.MULTILINE)
    hashed = re.findall(r"^\S+==\S+ \\\n\s+--hash=sha256:", lock, re.MULTILINE)
    assert pins and len(hashed) == len(pins)
    assert _names(BASE_DIR / "requirements.in") <= _names(BASE_DIR / "requirements.txt")
