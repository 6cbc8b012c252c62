"""The licensing decision path as reference data: questions, destination measures, export-voucher
cases and the legal basis of each outcome, read from the versioned YAML files in
`trade/reference/` (the newest `licensing-path-*.yaml` is current). A walked path records the
version it used, so a later file does not rewrite what was decided."""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import get_language

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
ANSWERS = ("yes", "no", "unsure")


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


@dataclass(frozen=True)
class Bilingual:
    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh if (get_language() or "zh-hans").startswith("zh") else self.en


@dataclass(frozen=True)
class Question:
    code: str
    step: str
    answers: tuple
    text: Bilingual
    help: Bilingual
    basis: tuple
    when_destination: tuple  # empty: asked for every destination

    def applies_to(self, destination: str) -> bool:
        return not self.when_destination or destination in self.when_destination


@dataclass(frozen=True)
class DestinationMeasure:
    code: str
    countries: tuple
    title: Bilingual
    basis: tuple


@dataclass(frozen=True)
class VoucherCase:
    code: str
    text: Bilingual
    basis: tuple


@dataclass(frozen=True)
class LicensingReference:
    version: str
    source_file: str
    sha256: str
    title: Bilingual
    questions: tuple
    destination_measures: tuple
    voucher_cases: tuple
    outcome_basis: dict

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def questions_in(self, step: str) -> list:
        return [q for q in self.questions if q.step == step]

    def voucher_case(self, code: str) -> VoucherCase | None:
        return next((case for case in self.voucher_cases if case.code == code), None)

    def measures_for(self, countries) -> list:
        countries = set(countries)
        return [m for m in self.destination_measures if countries & set(m.countries)]


def _bilingual(data: dict, key: str) -> Bilingual:
    return Bilingual(
        " ".join((data.get(f"{key}_zh") or "").split()),
        " ".join((data.get(f"{key}_en") or "").split()),
    )


def licensing_reference_parse(path: Path) -> LicensingReference:
    raw = Path(path).read_bytes()
    # yes/no are plain strings here, not YAML 1.1 booleans.
    data = yaml.load(raw.decode("utf-8"), Loader=yaml.BaseLoader)
    meta = data["meta"]
    questions = tuple(
        Question(
            code=q["code"],
            step=q["step"],
            answers=tuple(q["answers"]),
            text=_bilingual(q, "text"),
            help=_bilingual(q, "help"),
            basis=tuple(q.get("basis", [])),
            when_destination=tuple(q.get("when_destination", [])),
        )
        for q in data["questions"]
    )
    for question in questions:
        if set(question.answers) - set(ANSWERS):
            raise ValueError(f"{path}: {question.code} has unknown answers")
    return LicensingReference(
        version=str(meta["version"]),
        source_file=Path(path).name,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=_bilingual(meta, "title"),
        questions=questions,
        destination_measures=tuple(
            DestinationMeasure(
                code=m["code"],
                countries=tuple(m["countries"]),
                title=_bilingual(m, "title"),
                basis=tuple(m.get("basis", [])),
            )
            for m in data.get("destination_measures", [])
        ),
        voucher_cases=tuple(
            VoucherCase(code=c["code"], text=_bilingual(c, "text"), basis=tuple(c["basis"]))
            for c in data.get("voucher_cases", [])
        ),
        outcome_basis={key: tuple(value) for key, value in data["outcomes"].items()},
    )


@functools.cache
def current_licensing_reference() -> LicensingReference:
    """The newest file's data (read once per process)."""
    files = [licensing_reference_parse(p) for p in REFERENCE_DIR.glob("licensing-path-*.yaml")]
    if not files:
        raise FileNotFoundError("no licensing-path-*.yaml in trade/reference/")
    return max(files, key=lambda ref: _version_key(ref.version))
