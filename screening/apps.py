from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Restricted-party screening")

    def ready(self):
        from . import jobs  # noqa: F401  (registers the batch re-screening job)
