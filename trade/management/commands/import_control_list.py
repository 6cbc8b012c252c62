"""Import China's dual-use control list or the customs catalogue (whole list, CSV or XLSX)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from trade.services.control_list import (
    CATALOGUE_DEMO_FILE,
    STARTER_SET_FILE,
    control_list_import,
    customs_catalogue_import,
)


class Command(BaseCommand):
    help = (
        "Import the whole control list (or, with --catalogue EDITION, the customs catalogue) "
        "from a CSV or XLSX file; columns in docs/control-list-import.md. All or nothing; "
        "entries the file no longer holds go out of force; the same file twice changes "
        "nothing. --starter loads the small labelled starter set (or the demo catalogue rows) "
        "shipped with the app."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV (UTF-8 or GB18030) or XLSX file")
        parser.add_argument("--starter", action="store_true", help="load the shipped sample")
        parser.add_argument("--catalogue", metavar="EDITION", help="import the customs catalogue")
        parser.add_argument("--org", help="organisation slug: import as its own list")

    def handle(self, *args, file=None, starter=False, catalogue=None, org=None, **options):
        if bool(file) == bool(starter):
            raise CommandError("Give a FILE or --starter (one of them).")
        shipped = CATALOGUE_DEMO_FILE if catalogue else STARTER_SET_FILE
        path = shipped if starter else Path(file)
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"No organisation with slug {org!r}.")
        try:
            if catalogue:
                outcome = customs_catalogue_import(
                    content=path.read_bytes(),
                    filename=path.name,
                    edition=catalogue,
                    organisation=organisation,
                )
            else:
                outcome = control_list_import(
                    content=path.read_bytes(), filename=path.name, organisation=organisation
                )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            f"{outcome.created} created, {outcome.updated} updated, {outcome.unchanged} "
            f"unchanged, {outcome.removed} out of force."
        )
