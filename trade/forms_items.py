"""Forms of the item master: the MOFCOM enquiry and its answer, list and catalogue imports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trade.models import MofcomConsultation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(forms.Form):
    asked_on = forms.DateField(label=_("Asked on"), widget=DATE)
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The item's performance parameters and main uses, as sent to MOFCOM."),
    )
    unsure_reason = forms.CharField(
        label=_("Why the classification cannot be determined"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsultationAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE)
    answer = forms.CharField(label=_("MOFCOM's answer"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=MofcomConsultation.Outcome.choices, widget=forms.RadioSelect
    )
    control_code = forms.CharField(
        label=_("Control code"),
        max_length=40,
        required=False,
        help_text=_("When MOFCOM answered that the item is listed."),
    )
    catalogue_justification = forms.CharField(
        label=_("Why not listed although the HS code is in the customs catalogue"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the item's HS code is in the customs catalogue."),
    )
    document = forms.FileField(label=_("MOFCOM's answer (document)"))


class ListImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))


class CatalogueImportForm(ListImportForm):
    edition = forms.CharField(
        label=_("Edition"), max_length=60, help_text=_("The catalogue's year, e.g. 2026.")
    )
