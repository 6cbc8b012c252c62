from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self):
        # Registrations: the overview panel of upcoming events.
        from . import hooks  # noqa: F401
