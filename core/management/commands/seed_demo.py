import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from core.demo import DemoContext, demo_seeders, discover_demo_modules


class Command(BaseCommand):
    help = (
        "Create the demo enterprise (slug 'demo') with one user per role and a second "
        "organisation ('other'). Idempotent: running it again changes nothing, unless "
        "--password is given, which resets the demo users' password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for every demo user.")

    def handle(self, *args, password=None, **options):
        first_run = not User.objects.filter(email="manager@demo.example").exists()
        if first_run and not password:
            password = secrets.token_urlsafe(12)
        discover_demo_modules()
        ctx = DemoContext(password=password, log=lambda line: self.stdout.write(f"  + {line}"))
        with transaction.atomic():
            for seeder in demo_seeders():
                seeder(ctx)
        if password:
            credentials_file = settings.VAR_DIR / "demo-credentials.txt"
            credentials_file.write_text(
                "".join(f"{user.email}  {password}\n" for user in ctx.users.values()),
                encoding="utf-8",
            )
            credentials_file.chmod(0o600)
            self.stdout.write(
                self.style.SUCCESS(f"Demo users (password saved in {credentials_file}):")
            )
            for user in ctx.users.values():
                self.stdout.write(f"    {user.email}   password: {password}")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo data already present; nothing changed. Passwords: see "
                    f"{settings.VAR_DIR / 'demo-credentials.txt'} or run seed_demo --password NEW."
                )
            )
