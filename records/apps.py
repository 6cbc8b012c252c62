from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records and documents")

    def ready(self):
        from . import jobs, reminder_sources, signals  # noqa: F401  (registrations)
        from .subjects import register_default_subjects

        register_default_subjects()
        signals.connect()
