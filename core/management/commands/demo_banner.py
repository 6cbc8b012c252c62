"""Prints, boxed, where the local server answers and how to sign in (used by `make run`)."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the demo address and logins in a box (make run)."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port="8000", **options):
        lines = [f"ICP Workbench: http://127.0.0.1:{port}/", ""]
        credentials = settings.VAR_DIR / "demo-credentials.txt"
        if credentials.exists():
            lines.append("Demo logins (e-mail / password):")
            for row in credentials.read_text(encoding="utf-8").splitlines():
                if row.strip():
                    email, _, password = row.partition("  ")
                    lines.append(f"  {email.strip()}  /  {password.strip()}")
            lines += ["", f"(saved in {credentials})"]
        else:
            lines.append("No demo password on file: run")
            lines.append("  .venv/bin/python manage.py seed_demo --password NEW")
        width = max(len(line) for line in lines)
        border = "+" + "-" * (width + 2) + "+"
        self.stdout.write(
            "\n".join([border, *[f"| {line.ljust(width)} |" for line in lines], border])
        )
