from django.core.management.base import BaseCommand, CommandError

from records.management.eventlog_options import organisations_to_check
from records.services.eventlog import event_log_seal_all


class Command(BaseCommand):
    help = (
        "Sign the head of each organisation's event log with EVENT_LOG_KEY and write it to "
        "storage (event-log/checkpoints/), so a rewritten or shortened log no longer verifies. "
        "Run after migrate and regularly (cron or beat); a broken chain is never sealed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="short name (slug) of one organisation")

    def handle(self, *args, **options):
        run = event_log_seal_all(organisations=organisations_to_check(options["organisation"]))
        for organisation, reason in run.refused:
            self.stdout.write(f"{organisation.slug}: NOT SEALED, broken: {reason}")
        for organisation, sequence in run.sealed:
            self.stdout.write(f"{organisation.slug}: sealed at entry {sequence}")
        if run.refused:
            raise CommandError(f"{len(run.refused)} chain(s) broken, not sealed.", returncode=1)
