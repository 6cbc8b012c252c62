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
        # Regulated tables get their capture trigger after every migrate (records/capture.py).
        from django.db.models.signals import post_migrate

        from .capture import install_after_migrate

        post_migrate.connect(
            install_after_migrate, sender=self, dispatch_uid="records.capture_install"
        )
        self._subscribe()

    @staticmethod
    def _subscribe() -> None:
        """The events of lower apps that the records app acts on."""
        from accounts.signals import event_logged

        from .receivers import accounts_event_logged

        event_logged.connect(accounts_event_logged, dispatch_uid="records.accounts_event_logged")
