from django import forms
from django.utils.translation import gettext_lazy as _

from screening.models import Party


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = [
            "name",
            "name_latin",
            "party_type",
            "is_individual",
            "military_user",
            "country",
            "address",
            "reference",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class PartyImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or Excel (.xlsx) with a header row: name, name_latin, party_type, country, "
            "address, reference, is_individual, notes. Only name is required."
        ),
    )
