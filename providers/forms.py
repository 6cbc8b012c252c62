from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CustomerCheck, ProviderKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProviderProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of service"), choices=ProviderKind.choices)


class CustomerCheckForm(forms.ModelForm):
    class Meta:
        model = CustomerCheck
        fields = (
            "reference",
            "customer_name",
            "customer_country",
            "counterparty_name",
            "counterparty_country",
            "goods",
            "hs_code",
            "declared",
            "permit",
            "permit_number",
        )
        widgets = {"goods": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        customer, counterparty = profile.party_labels
        self.fields["customer_name"].label = customer
        self.fields["counterparty_name"].label = counterparty


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (CustomerCheck.Outcome.RELEASED, CustomerCheck.Outcome.RELEASED.label),
            (CustomerCheck.Outcome.HELD, CustomerCheck.Outcome.HELD.label),
            (CustomerCheck.Outcome.REFUSED, CustomerCheck.Outcome.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to hold or refuse."),
    )


class SuspicionReportForm(forms.Form):
    grounds = forms.CharField(
        label=_("What raised the suspicion"), widget=forms.Textarea(attrs={"rows": 4})
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)
    channel = forms.CharField(
        label=_("How it was reported"),
        max_length=200,
        help_text=_(
            "E.g. letter to the MOFCOM export control bureau, or the provincial department."
        ),
    )
    mofcom_reference = forms.CharField(
        label=_("MOFCOM's reference"), max_length=100, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"reported_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
