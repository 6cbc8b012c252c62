"""The compiled engine (``make native``: scripts/build_native.py, mypyc) against its source:
the same tokens, scores and reasons; and a compiled module older than its source refused."""

import importlib.util
import json
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from bench.screening_bench import generate
from screening.engine import native, normalise_name
from screening.engine import score as compiled_score

ENGINE = Path(native.__file__).resolve().parent

# Names of every script and shape the engine handles, besides the synthetic list's.
NAMES = [
    "Huawei Technologies Co., Ltd.",
    "Hua Wei Technology",
    "华为技术有限公司",
    "華為技術有限公司",
    "昆明星瑞光电股份有限公司",
    "星瑞光电股份有限公司",
    "上海华腾装备（集团）股份有限公司",
    "Shanghai Huateng Zhuangbei (Jituan) Gufen Youxian Gongsi",
    "АО «Концерн Радиоточность»",
    "AO Kontsern Radiotochnost",
    "OOO Tekhnoplyus",
    "Yuriy Andreyevich Zhilyaev",
    "Iurii Andreevich Jiliaev",
    "陳大文",
    "CHAN Tai-man",
    "WONG Kwok-wai",
    "Kwok Wai Wong",
    "Novatek Automation GmbH",
    "Crefucomposites Ltd",
    "Skefu Composites Limited",
]


def _from_source(name: str):
    """The engine module ``name`` run from its source file (beside the compiled one)."""
    spec = importlib.util.spec_from_file_location(
        f"screening.engine._source_{name}", ENGINE / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "screening.engine"
    sys.modules[spec.name] = module  # its dataclasses look their module up while it runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.mark.skipif(
    not native.NATIVE_MODULES, reason="the engine runs from source here (make native compiles it)"
)
def test_the_compiled_engine_normalises_scores_and_explains_as_its_source_does():
    assert Path(compiled_score.__file__).suffix == ".so"
    source_normalise, source_score = _from_source("normalise"), _from_source("score")
    assert Path(source_score.__file__).suffix == ".py"
    listed = [a.text for e in generate(150, 0, seed=5).entities for a in e.names] + NAMES
    queries = NAMES + listed[::7]

    def tokens(normalised):
        return [(t.latin, t.han, t.low, t.place) for t in normalised.tokens]

    for name in queries + listed:
        compiled, source = normalise_name(name), source_normalise.normalise_name(name)
        assert tokens(compiled) == tokens(source), name
        assert (compiled.legal_forms, compiled.encode()) == (source.legal_forms, source.encode())

    compared = 0
    for query in queries:
        q = normalise_name(query).tokens
        scorer = compiled_score.QueryScorer(q)
        for name in listed[:: max(1, len(listed) // 60)] + NAMES:
            other = normalise_name(name).tokens
            expected = source_score.compare(q, other)
            assert compiled_score.compare(q, other) == expected, (query, name)
            assert scorer.compare(other) == expected, (query, name)
            score, reasons = compiled_score.explain(q, other)
            source_value, source_reasons = source_score.explain(q, other)
            assert score == source_value
            assert [(r.code, r.params) for r in reasons] == [
                (r.code, r.params) for r in source_reasons
            ]
            compared += 1
    assert compared > 5000


def _fake_build(folder: Path) -> None:
    """Each compiled module's source and an (empty) extension module beside it."""
    for name in native.COMPILED:
        (folder / f"{name}.py").write_text(f"# {name}\n")
        (folder / f"{name}{EXTENSION_SUFFIXES[0]}").write_bytes(b"")


def test_a_compiled_module_older_than_its_source_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "HERE", tmp_path)
    monkeypatch.setattr(native, "MANIFEST", tmp_path / "native.json")
    assert native.native_check() == []  # nothing compiled: the source runs

    _fake_build(tmp_path)
    current = {name: native.source_hash(name) for name in native.COMPILED}
    (tmp_path / "native.json").write_text(json.dumps(current))
    assert native.native_check() == list(native.COMPILED)

    (tmp_path / "score.py").write_text("# score, edited after the build\n")
    with pytest.raises(ImportError, match="older than their source: score; run `make native`"):
        native.native_check()

    (tmp_path / "native.json").unlink()  # a build without its record is refused too
    with pytest.raises(ImportError, match="normalise, score"):
        native.native_check()
