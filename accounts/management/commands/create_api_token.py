from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation, User
from accounts.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user in one organisation and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--org", required=True, help="organisation short name (slug)")
        parser.add_argument("--name", default="ERP integration", help="what the token is for")

    def handle(self, *args, email, org, name, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}.")
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"No organisation {org}.")
        try:
            token, raw = api_token_create(organisation=organisation, user=user, name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token {token.name!r} for {user.email} in {organisation.slug}. "
            "Store it now: it is not shown again."
        )
        self.stdout.write(raw)
