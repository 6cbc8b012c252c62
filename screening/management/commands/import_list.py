from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from screening.adapters import PARSERS
from screening.models import ScreeningList
from screening.services.lists import ImportRejected, list_import


class Command(BaseCommand):
    help = (
        "Import a list file as the list's next version (all or nothing; the same content twice "
        "creates nothing). Without --org the list is public."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(PARSERS), dest="file_format")
        parser.add_argument("--list", required=True, dest="code", help="list code, e.g. CN-UEL")
        parser.add_argument("--org", help="organisation slug, for a private list")
        parser.add_argument(
            "--create", metavar="NAME", help="create the list with this name if missing"
        )

    def handle(self, *args, file, file_format, code, org, create, **options):
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"No organisation {org}.")
        screening_list = ScreeningList.objects.filter(code=code, organisation=organisation).first()
        if screening_list is None:
            if not create:
                scope = f"organisation {org}" if org else "the public lists"
                raise CommandError(f"No list {code} in {scope}; add --create NAME to create it.")
            screening_list = ScreeningList.objects.create(
                organisation=organisation, code=code, name_zh=create, name_en=create
            )
        if not file.exists():
            raise CommandError(f"No file {file}.")
        try:
            outcome = list_import(
                screening_list=screening_list,
                content=file.read_bytes(),
                file_format=file_format,
                filename=file.name,
            )
        except ImportRejected as exc:
            for error in exc.row_errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(exc.row_errors)} problem(s).") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        version = outcome.version
        if not outcome.created:
            self.stdout.write(f"{code}: unchanged, still version {version.number}.")
            return
        counts = version.change_counts
        self.stdout.write(
            f"{code}: version {version.number}, {version.entity_count} entities "
            f"(+{counts['added']} -{counts['removed']} ~{counts['changed']})."
        )
