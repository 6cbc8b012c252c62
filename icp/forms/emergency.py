from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.selectors import organisation_members
from icp.models import Incident, ResponsePlan, Scenario


class MemberChoiceMixin:
    member_fields: tuple = ()

    def limit_members(self, organisation):
        for name in self.member_fields:
            self.fields[name].queryset = organisation_members(organisation)


class IncidentReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who, what, when, which order or customer; what you saw or were told."),
    )
    scenario = forms.ChoiceField(label=_("It concerns"), choices=Scenario.choices)
    anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        help_text=_("Your name is not stored anywhere with this report."),
    )
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)


class IncidentTriageForm(MemberChoiceMixin, forms.Form):
    member_fields = ("owner",)
    severity = forms.ChoiceField(label=_("Severity"), choices=Incident.Severity.choices)
    scenario = forms.ChoiceField(label=_("Scenario"), choices=Scenario.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    response_plan = forms.ModelChoiceField(
        label=_("Response plan"), queryset=ResponsePlan.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_members(organisation)
        self.fields["response_plan"].queryset = ResponsePlan.objects.for_organisation(organisation)


class IncidentNoteForm(forms.Form):
    text = forms.CharField(label=_("Investigation note"), widget=forms.Textarea(attrs={"rows": 3}))
    to_reporter = forms.BooleanField(
        label=_("Reply to the reporter"),
        required=False,
        help_text=_("Shown to the reporter on the follow-up page, without your name."),
    )


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=40, strip=True)


class MofcomReportForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Reported on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reference = forms.CharField(label=_("MOFCOM reference"), max_length=100, required=False)
    content = forms.CharField(
        label=_("What was reported"), widget=forms.Textarea(attrs={"rows": 4})
    )


class IncidentActionForm(MemberChoiceMixin, forms.Form):
    member_fields = ("owner",)
    description = forms.CharField(
        label=pgettext_lazy("corrective action", "Action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_members(organisation)


class ActionDoneForm(forms.Form):
    note = forms.CharField(
        label=_("How it was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class LinkTransactionForm(forms.Form):
    reference = forms.CharField(label=_("Transaction reference"), max_length=64)


class StopShipmentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the shipment is stopped"), widget=forms.Textarea(attrs={"rows": 2})
    )


class IncidentCloseForm(forms.Form):
    summary = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    not_reportable_reason = forms.CharField(
        label=_("Why no report to MOFCOM is needed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only when the scenario is reportable and no report was made."),
    )


class ResponsePlanForm(MemberChoiceMixin, forms.ModelForm):
    member_fields = ("owner",)

    class Meta:
        model = ResponsePlan
        fields = [
            "scenario",
            "title_zh",
            "title_en",
            "steps_zh",
            "steps_en",
            "contacts",
            "escalation",
            "legal_basis",
            "owner",
            "review_due",
        ]
        widgets = {
            "steps_zh": forms.Textarea(attrs={"rows": 8}),
            "steps_en": forms.Textarea(attrs={"rows": 8}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
            "escalation": forms.Textarea(attrs={"rows": 3}),
            "review_due": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_members(organisation)
        self.fields["owner"].required = False
