"""The control list and the customs catalogue as data: whole-list imports from CSV or XLSX (all
or nothing, with every bad row named), versioned with a diff, and the labelled starter sets.

Columns and rules: docs/control-list-import.md. An organisation that imports its own list (or
catalogue) uses it instead of the shared starter set; the shared rows stay for the demo.

By subject: `table` (reading a CSV or XLSX file into rows under the known columns), `rows`
(checking the rows of a control list and of a customs catalogue), `imports` (importing and
previewing a whole list as a new version), `starter` (the labelled starter set and demo
catalogue) and `shared` (a list shared by another organisation: a chamber's version, adopted by
a member).
"""

from .imports import (
    PROGRESS_EVERY_ROWS,
    ControlListImportOutcome,
    Progress,
    control_list_import,
    control_list_preview,
    customs_catalogue_import,
    customs_catalogue_preview,
)
from .shared import reference_list_adopt, reference_list_adopt_preview, reference_list_rows
from .starter import (
    CATALOGUE_DEMO_FILE,
    REFERENCE_DIR,
    STARTER_SET_FILE,
    control_list_load_starter_set,
    customs_catalogue_load_demo,
    starter_set_rows,
)
from .table import (
    CATALOGUE_COLUMNS,
    CONTROL_LIST_COLUMNS,
    HEADER_ALIASES,
    MAX_IMPORT_BYTES,
    MAX_ROWS,
    read_table,
)

__all__ = [
    "CATALOGUE_COLUMNS",
    "CATALOGUE_DEMO_FILE",
    "CONTROL_LIST_COLUMNS",
    "HEADER_ALIASES",
    "MAX_IMPORT_BYTES",
    "MAX_ROWS",
    "PROGRESS_EVERY_ROWS",
    "REFERENCE_DIR",
    "STARTER_SET_FILE",
    "ControlListImportOutcome",
    "Progress",
    "control_list_import",
    "control_list_load_starter_set",
    "control_list_preview",
    "customs_catalogue_import",
    "customs_catalogue_load_demo",
    "customs_catalogue_preview",
    "read_table",
    "reference_list_adopt",
    "reference_list_adopt_preview",
    "reference_list_rows",
    "starter_set_rows",
]
