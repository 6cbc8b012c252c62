"""Moved: the reference library's loader is `reference.services` (reads: `reference.selectors`).

Kept only for `core/management/commands/seed_demo.py`, which is being rewritten to use a
registered seeder; delete this module when nothing imports `icp.reference` any more."""

from reference.services import reference_framework_load  # noqa: F401
