from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChambersConfig(AppConfig):
    name = "chambers"
    verbose_name = _("Chambers of commerce")

    def ready(self):
        # Registrations: the delivery job, the member's reminders and the overview panel.
        from . import hooks, jobs  # noqa: F401
