from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Publication

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberInviteForm(forms.Form):
    credit_code = forms.CharField(
        label=_("Unified social credit code of the organisation"),
        max_length=18,
        min_length=18,
        help_text=_("18 characters, as on its business licence."),
    )


class MembershipAcceptForm(forms.Form):
    shares_status = forms.BooleanField(
        label=_("Let the chamber see our programme status"),
        required=False,
        help_text=_(
            "The state of the nine elements, readiness, overdue items and the last audit's "
            "result. Never your transactions, parties or documents. You can withdraw this "
            "at any time."
        ),
    )


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = [
            "kind",
            "title_zh",
            "title_en",
            "announcement_number",
            "announcement_date",
            "effective_date",
            "summary_zh",
            "summary_en",
            "action_zh",
            "action_en",
            "body_zh",
            "body_en",
        ]
        widgets = {
            "announcement_date": DATE_INPUT,
            "effective_date": DATE_INPUT,
            "summary_zh": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "action_zh": forms.Textarea(attrs={"rows": 3}),
            "action_en": forms.Textarea(attrs={"rows": 3}),
            "body_zh": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }
