from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = _("Service providers")

    def ready(self):
        # Registrations: the overview panel of a service provider's open checks.
        from . import hooks  # noqa: F401
