from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Group robot notices")

    def ready(self):
        from . import jobs, receivers  # noqa: F401  (registers the job kinds and the receiver)
