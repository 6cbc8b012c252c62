from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Getting started")

    def ready(self):
        # Registration: the getting-started panel on the overview (core/panels.py).
        from . import hooks  # noqa: F401
