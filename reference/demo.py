"""The reference data every demo record points at (the MOFCOM framework, red flags): loaded
first, before the organisations (accounts, order 10)."""

from core.demo import DemoContext, demo_seeder
from reference.services import reference_framework_load


@demo_seeder(order=5)
def seed_reference_framework(ctx: DemoContext) -> None:
    # Idempotent: the same file again changes nothing (see reference_framework_load).
    reference_framework_load()
