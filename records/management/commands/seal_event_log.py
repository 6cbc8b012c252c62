from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
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
        organisations = Organisation.objects.order_by("slug")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation {options['organisation']!r}.")
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
