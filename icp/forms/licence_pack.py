"""The request form of the general-licence application pack (its shape; the service checks the
meaning of the period)."""

from django import forms
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("zh-hans", _("Chinese")), ("en", _("English"))]


class LicencePackRequestForm(forms.Form):
    start = forms.DateField(label=_("Period from"))
    end = forms.DateField(label=_("Period to"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
