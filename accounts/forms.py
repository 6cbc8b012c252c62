from django import forms
from django.utils.translation import gettext_lazy as _

from .models import validate_unified_social_credit_code


class OrganisationProfileForm(forms.Form):
    """The organisation's details as they appear on the ICP manual and its forms."""

    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    unified_social_credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        validators=[validate_unified_social_credit_code],
        help_text=_("18 characters, as on the business licence."),
    )
    address_zh = forms.CharField(label=_("Address (Chinese)"), max_length=300, required=False)
    address_en = forms.CharField(label=_("Address (English)"), max_length=300, required=False)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("PNG or JPEG, at most 2 MB. Printed on the cover of the ICP manual."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_unified_social_credit_code(self):
        return self.cleaned_data["unified_social_credit_code"].strip().upper()
