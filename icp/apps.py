from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IcpConfig(AppConfig):
    name = "icp"
    verbose_name = _("Internal compliance programme")

    def ready(self):
        from . import jobs  # noqa: F401  (registers the job kinds)
