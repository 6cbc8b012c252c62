"""Compile the screening engine's scorer and name normaliser to C extension modules (mypyc).

    .venv/bin/python scripts/build_native.py        (``make native``; the Dockerfile's build stage)

Why: the pure-Python engine is where an API screening spends its CPU (docs/screening-engine.md,
"Compiled scorer"). mypyc compiles the same typed source files, unchanged, and gives the same
hits; Python imports a compiled module before the source beside it. mypyc comes with mypy, which
the project already pins and type-checks these modules with, so no second language or tool.

Each compiled module is recorded with the SHA-256 of the source it was built from
(``screening/engine/native.json``); the engine refuses to start with a compiled module whose
source has changed since (``screening.engine.native``), so a stale build can never serve.
"""

import importlib.util
import json
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _remove_earlier_build() -> None:
    """A build that fails leaves the engine running from source, never a stale module."""
    engine = ROOT / "screening/engine"
    for built in [engine / "native.json", *engine.glob("*.so")]:
        built.unlink(missing_ok=True)


def _native_module():
    """``screening/engine/native.py`` alone: importing the engine package would import the
    modules being compiled."""
    spec = importlib.util.spec_from_file_location("native", ROOT / "screening/engine/native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# mypy's own configuration (pyproject.toml) loads Django's settings for its plugin; the engine
# imports no Django, so it is compiled with a configuration of its own.
MYPY_CONFIG = "[mypy]\nignore_missing_imports = True\nwarn_unused_configs = False\n"


def main() -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    _remove_earlier_build()
    native = _native_module()
    os.chdir(ROOT)
    sources = [f"screening/engine/{name}.py" for name in native.COMPILED]
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "mypy.ini"
        config.write_text(MYPY_CONFIG)
        setup(
            name="icp-screening-native",
            packages=[],
            py_modules=[],
            ext_modules=mypycify(
                ["--config-file", str(config), *sources],
                group_name="screening.engine._native",
                target_dir=work,
            ),
            script_args=[
                "--quiet",
                "build_ext",
                "--inplace",
                "--build-temp",
                work,
                "--build-lib",
                work,
            ],
        )
    manifest = {name: native.source_hash(name) for name in native.COMPILED}
    native.MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"compiled with mypyc: {', '.join(native.COMPILED)}")


if __name__ == "__main__":
    main()
