from django.core.management.base import BaseCommand, CommandError

from records.management.eventlog_options import organisations_to_check
from records.services.capture import database_changes_reconcile
from records.services.eventlog import event_log_verify


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the event log (of one organisation, or of all) and name the "
        "first broken link. Exits with status 1 when a chain is broken. Changes made directly "
        "in the database that the application did not log are logged first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="short name (slug) of one organisation")

    def handle(self, *args, **options):
        organisations = organisations_to_check(options["organisation"])
        reconciled = database_changes_reconcile()
        if reconciled.logged:
            self.stdout.write(
                f"{reconciled.logged} change(s) made directly in the database, outside the "
                "application, added to the event log"
            )
        broken = 0
        for organisation in organisations:
            result = event_log_verify(organisation=organisation)
            if result.ok:
                self.stdout.write(f"{organisation.slug}: OK, {result.entries} entries")
            else:
                broken += 1
                self.stdout.write(
                    f"{organisation.slug}: BROKEN at entry {result.first_broken}: {result.reason}"
                )
        if broken:
            raise CommandError(f"{broken} chain(s) broken.", returncode=1)
