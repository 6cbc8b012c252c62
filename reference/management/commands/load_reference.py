from pathlib import Path

from django.core.management.base import BaseCommand

from reference.services import DEFAULT_FRAMEWORK_FILE, reference_framework_load


class Command(BaseCommand):
    help = "Load (or refresh) the versioned ICP reference data. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FRAMEWORK_FILE))

    def handle(self, *args, path, **options):
        framework = reference_framework_load(path=Path(path))
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {framework} ({framework.elements.count()} elements); "
                f"current: {framework.is_current}"
            )
        )
