"""Import China's dual-use control list (or an organisation's own entries) from CSV."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from trade.services.control_list import STARTER_SET_FILE, control_list_import


class Command(BaseCommand):
    help = (
        "Import control list entries from a CSV file (columns: code, description_zh, "
        "description_en, keywords, hs_codes, announcement, source, status_note). All or nothing; "
        "importing the same file twice changes nothing. --starter loads the small starter set "
        "shipped with the app (verify it against MOFCOM Announcement 2024 No. 51 before use)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV file (UTF-8 or GB18030)")
        parser.add_argument("--starter", action="store_true", help="load the shipped starter set")
        parser.add_argument("--org", help="organisation slug: import as its own entries")

    def handle(self, *args, file=None, starter=False, org=None, **options):
        if bool(file) == bool(starter):
            raise CommandError("Give a FILE or --starter (one of them).")
        path = STARTER_SET_FILE if starter else Path(file)
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"No organisation with slug {org!r}.")
        try:
            outcome = control_list_import(content=path.read_bytes(), organisation=organisation)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            f"{outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged."
        )
