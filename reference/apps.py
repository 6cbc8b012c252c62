from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """The versioned MOFCOM reference library (elements, requirements, legal provisions, red
    flags, audit questions). Below screening, trade, audits and the programme; it imports none of
    them and tells them that a framework was loaded through `reference.signals`."""

    name = "reference"
    verbose_name = _("Reference library")
