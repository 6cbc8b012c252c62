"""The Chinese catalogue uses one term per concept, as docs/glossary.md lists them."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs/glossary.md"
CATALOGUE = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"


def _table_rows(heading_cells: int) -> list[list[str]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == heading_cells:
            rows.append(cells)
    return rows


def glossary_terms() -> list[tuple[str, str, list[str]]]:
    rows = [r for r in _table_rows(4) if r[0] != "English"]
    terms = [(en, zh, [w for w in wrong.split("、") if w]) for en, zh, wrong, _note in rows]
    # Longer English terms first: "lead auditor" is not checked as "auditor".
    return sorted(terms, key=lambda t: -len(t[0]))


def contexts() -> list[tuple[str, str, str]]:
    return [tuple(r) for r in _table_rows(3) if r[0] != "Context"]


def _translation(entry) -> str:
    if entry.msgid_plural:
        return " ".join(entry.msgstr_plural.values())
    return entry.msgstr


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(CATALOGUE))


def test_glossary_has_the_agreed_terms():
    terms = {en: zh for en, zh, _ in glossary_terms()}
    assert len(terms) >= 40
    assert terms["red[- ]flags?"] == "风险警示信号"
    assert terms["legal holds?"] == "保留令"
    assert terms["catch-all( control)?"] == "兜底管控"
    assert terms["end users?"] == "最终用户"
    assert terms["event log"] == "事件日志"


def test_catalogue_uses_the_glossary_term_wherever_the_english_term_appears(catalogue):
    terms = glossary_terms()
    wrong = []
    for entry in catalogue:
        english = f"{entry.msgid} {entry.msgid_plural}"
        chinese = _translation(entry)
        for en, zh, _ in terms:
            pattern = re.compile(rf"\b{en}\b", re.IGNORECASE)
            if pattern.search(english):
                if zh not in chinese:
                    wrong.append(f"{entry.msgid!r} -> {chinese!r}: expected {zh}")
                english = pattern.sub(" ", english)
    assert not wrong, "\n".join(wrong)


def test_catalogue_never_uses_a_wrong_alternative(catalogue):
    wrong = []
    for entry in catalogue:
        chinese = _translation(entry)
        for _en, zh, alternatives in glossary_terms():
            wrong += [
                f"{entry.msgid!r} -> {chinese!r}: {w} (use {zh})"
                for w in alternatives
                if w in chinese
            ]
    assert not wrong, "\n".join(wrong)


def test_short_words_with_two_meanings_are_translated_by_context(catalogue):
    rows = contexts()
    assert len(rows) >= 8
    for context, english, chinese in rows:
        entry = catalogue.find(english, msgctxt=context)
        assert entry is not None, (context, english)
        assert entry.msgstr == chinese, (context, english, entry.msgstr)
    # The screen words of the issue are never the wrong sense.
    assert catalogue.find("Clear", msgctxt="screening result").msgstr != "清除"
    assert catalogue.find("By", msgctxt="event log").msgstr != "上传人"
    assert catalogue.find("Action", msgctxt="event log").msgstr != "措施"
    assert catalogue.find("Programme", msgctxt="sanctions").msgstr != "合规机制"
    assert catalogue.find("reference").msgstr != "依据"
