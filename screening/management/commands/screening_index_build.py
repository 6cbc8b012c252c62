"""Build the search index file of every current list version that has none; drop unused ones.

Run after `migrate` on every deployment (and by `make run`): the list-import job builds the
index of each new version, but a fresh or restored database, or a new engine format, has
versions without one. Web requests never build an index; until its file exists they tell the
user that screening is being prepared.
"""

from django.core.management.base import BaseCommand

from screening.services.index import artefacts_build_missing, artefacts_prune


class Command(BaseCommand):
    help = "Build missing screening index files and drop the ones no current list version uses."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-prune", action="store_true", help="Keep index files no version uses."
        )

    def handle(self, *args, no_prune=False, verbosity=1, **options):
        built = artefacts_build_missing()
        for artefact in built:
            if verbosity:
                self.stdout.write(
                    f"built {artefact.name} (list version {artefact.version_id}, "
                    f"{artefact.entity_count} entities, {artefact.size} bytes, "
                    f"{artefact.build_seconds:.1f} s)"
                )
        pruned = {} if no_prune else artefacts_prune()
        if verbosity:
            self.stdout.write(
                f"{len(built)} index file(s) built; "
                f"{pruned.get('files', 0)} stored and {pruned.get('local_copies', 0)} local "
                "file(s) dropped."
            )
