"""The labelled starter set of the control list and the demo customs catalogue."""

from pathlib import Path

import yaml

from reference.services import DEFAULT_FRAMEWORK_FILE
from trade.models.control_list import CATALOGUE_DEMO_LABEL, STARTER_SET_LABEL

from .imports import ControlListImportOutcome, control_list_import, customs_catalogue_import

REFERENCE_DIR = Path(__file__).resolve().parent.parent.parent / "reference"
STARTER_SET_FILE = REFERENCE_DIR / "control-list-starter.csv"
CATALOGUE_DEMO_FILE = REFERENCE_DIR / "customs-catalogue-demo.csv"


def starter_set_rows() -> list[dict]:
    """The starter set: the category headings and example entries of the reference file."""
    data = yaml.safe_load(DEFAULT_FRAMEWORK_FILE.read_text(encoding="utf-8"))["dual_use_list"]
    rows = [
        {
            "code": c["digit"],
            "description_zh": c["name_zh"],
            "description_en": c["name_en"],
            "keywords": c.get("note", ""),
            "source": STARTER_SET_LABEL,
        }
        for c in data["categories"]
    ]
    rows += [
        {
            "code": e["code"],
            "description_zh": "",
            "description_en": e["desc_en"],
            "announcement": e.get("announcement", ""),
            "source": STARTER_SET_LABEL,
            "status_note": e.get("status_note", ""),
        }
        for e in data["example_entries"]
    ]
    return rows


def control_list_load_starter_set() -> ControlListImportOutcome:
    return control_list_import(
        content=STARTER_SET_FILE.read_bytes(),
        filename=STARTER_SET_FILE.name,
        edition=STARTER_SET_LABEL,
    )


def customs_catalogue_load_demo() -> ControlListImportOutcome:
    """The demo rows of the customs catalogue, labelled as such (not the catalogue's text)."""
    return customs_catalogue_import(
        content=CATALOGUE_DEMO_FILE.read_bytes(),
        filename=CATALOGUE_DEMO_FILE.name,
        edition=CATALOGUE_DEMO_LABEL,
    )
