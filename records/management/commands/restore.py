from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from records.services.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `manage.py backup` into the configured database and "
        "file storage. Checks every SHA-256 first; refuses a non-empty database unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the .tar.gz archive")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="empty the database first (everything in it is lost)",
        )

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"No such backup: {archive}")
        try:
            summary = backup_restore(archive_path=archive, replace=options["replace"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Restored the backup of {summary.created_at.isoformat()}: database and "
            f"{summary.files} files. Run `manage.py verify_event_log` to check the event log."
        )
