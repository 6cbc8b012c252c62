"""The engine modules compiled to C extension modules (``scripts/build_native.py``, mypyc), and
the check that each was built from the source file beside it.

Python imports ``score.cpython-311-....so`` before ``score.py``, so a compiled module left over
from an earlier source would run old code: the engine refuses to start then
(``native_check``). Without compiled modules the engine runs from source, with the same results.
"""

import hashlib
import json
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The scorer and the normaliser: most of a screening's CPU that mypyc speeds up; the candidate
# search is left as source (compiled, it gained little, and its tests replace its functions).
COMPILED = ("normalise", "score")
MANIFEST = HERE / "native.json"


def source_hash(name: str) -> str:
    return hashlib.sha256((HERE / f"{name}.py").read_bytes()).hexdigest()


def compiled_modules() -> list[str]:
    """The engine modules present as compiled extension modules."""
    return [
        name
        for name in COMPILED
        if any((HERE / f"{name}{suffix}").exists() for suffix in EXTENSION_SUFFIXES)
    ]


def native_check() -> list[str]:
    """The compiled modules, once each is known to be built from its source; raises
    ``ImportError`` naming those that are not."""
    present = compiled_modules()
    if not present:
        return []
    try:
        recorded = json.loads(MANIFEST.read_text())
    except (OSError, ValueError):
        recorded = {}
    stale = [name for name in present if recorded.get(name) != source_hash(name)]
    if stale:
        raise ImportError(
            f"compiled screening engine modules older than their source: {', '.join(stale)}; "
            "run `make native` (or delete screening/engine/*.so to run the source)"
        )
    return present


# Checked when the engine package is imported (its __init__ imports this module first), before
# any compiled module is.
NATIVE_MODULES = native_check()
