from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Restricted-party screening")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from accounts import roles
        from core.registry import register_record

        from . import jobs  # noqa: F401  (list import, index and re-screening jobs)
        from .models import Party
        from .receivers import party_badge_after_decision, rescreen_after_new_version
        from .services import index
        from .signals import hit_decided, list_version_current

        # The event log names the parties written before the register moved here "trade.party".
        register_record(
            Party,
            read_roles=roles.ALL_MEMBERS,
            edit_roles=roles.SCREENERS,
            former_labels=("trade.party",),
        )

        # A web request never builds a list index (see screening.services.index).
        request_started.connect(index.request_started, dispatch_uid="screening_index_request")
        request_finished.connect(index.request_finished, dispatch_uid="screening_index_request")
        # The party register follows the lists and the decisions on its hits.
        list_version_current.connect(
            rescreen_after_new_version, dispatch_uid="screening.rescreen_after_new_version"
        )
        hit_decided.connect(party_badge_after_decision, dispatch_uid="screening.party_badge")
