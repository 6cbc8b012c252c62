from django.core.management.base import BaseCommand, CommandError

from records.management.eventlog_options import organisations_to_check
from records.services.eventlog import event_log_seal, event_log_verify


class Command(BaseCommand):
    help = (
        "Sign the head of each organisation's event log with EVENT_LOG_KEY and write it to "
        "storage (event-log/checkpoints/), so a rewritten or shortened log no longer verifies. "
        "Run after migrate and regularly (cron or beat); a broken chain is never sealed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="short name (slug) of one organisation")

    def handle(self, *args, **options):
        organisations = organisations_to_check(options["organisation"])
        refused = 0
        for organisation in organisations:
            result = event_log_verify(organisation=organisation)
            if not result.ok:
                refused += 1
                self.stdout.write(f"{organisation.slug}: NOT SEALED, broken: {result.reason}")
                continue
            checkpoint = event_log_seal(organisation=organisation)
            self.stdout.write(f"{organisation.slug}: sealed at entry {checkpoint['sequence']}")
        if refused:
            raise CommandError(f"{refused} chain(s) broken, not sealed.", returncode=1)
