from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Restricted-party screening")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import jobs  # noqa: F401  (list import and index jobs; re-screening: trade)
        from .services import index

        # A web request never builds a list index (see screening.services.index).
        request_started.connect(index.request_started, dispatch_uid="screening_index_request")
        request_finished.connect(index.request_finished, dispatch_uid="screening_index_request")
