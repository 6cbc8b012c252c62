from django.core.management.base import CommandError

from accounts.models import Organisation


def organisations_to_check(slug: str | None):
    """Every organisation by short name, or the one named by --organisation (an error if none)."""
    organisations = Organisation.objects.order_by("slug")
    if slug:
        organisations = organisations.filter(slug=slug)
        if not organisations.exists():
            raise CommandError(f"No organisation {slug!r}.")
    return organisations
