from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self):
        # Registrations: the overview panel of upcoming events; how the change history names a
        # case's provisions (as its page does, core/history.py).
        from core.history import history_field_register
        from core.i18n import semicolon_joined

        from . import hooks  # noqa: F401
        from .citations import citations_of
        from .models import EnforcementCase

        history_field_register(
            EnforcementCase, "provisions", lambda ids: semicolon_joined(citations_of(ids))
        )
