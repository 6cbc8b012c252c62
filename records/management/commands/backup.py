from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from records.services.backup import backup_create


class Command(BaseCommand):
    help = (
        "Write a timestamped archive of the database (portable JSON) and every stored file, "
        "with a manifest of SHA-256 hashes, under var/backups/ (see docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=str(settings.VAR_DIR / "backups"), help="where to write it"
        )

    def handle(self, *args, **options):
        path = backup_create(directory=Path(options["output_dir"]))
        self.stdout.write(str(path))
