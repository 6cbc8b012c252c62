"""E2 forms: shape only; the rules (same organisation, no loops, members only) are in
icp.services.organisation."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import organisation_members
from icp.models import ComplianceBody, Duty, Position, SodRule


class ComplianceBodyForm(forms.ModelForm):
    class Meta:
        model = ComplianceBody
        fields = [
            "kind",
            "name_zh",
            "name_en",
            "parent",
            "mandate_zh",
            "mandate_en",
            "meeting_frequency",
            "order",
            "is_active",
        ]
        widgets = {
            "mandate_zh": forms.Textarea(attrs={"rows": 4}),
            "mandate_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        parents = ComplianceBody.objects.for_organisation(organisation)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class PositionForm(forms.ModelForm):
    duty_codes = forms.MultipleChoiceField(
        label=_("Transaction duties"),
        choices=Duty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What this position does on a transaction; checked by the SoD rules."),
    )

    class Meta:
        model = Position
        fields = [
            "body",
            "title_zh",
            "title_en",
            "is_head",
            "commitment",
            "holder",
            "holder_name",
            "deputy",
            "reports_to",
            "phone",
            "email",
            "duties_zh",
            "duties_en",
            "authority_zh",
            "authority_en",
            "may_stop_exports",
            "may_consult_authority",
            "duty_codes",
            "order",
            "is_active",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("duties_zh", "duties_en", "authority_zh", "authority_en")
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = ComplianceBody.objects.for_organisation(organisation)
        members = organisation_members(organisation)
        self.fields["holder"].queryset = members
        self.fields["deputy"].queryset = members
        superiors = Position.objects.for_organisation(organisation).select_related("body")
        if self.instance.pk:
            superiors = superiors.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = superiors

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("holder") and not cleaned.get("holder_name"):
            self.add_error(
                "holder", _("Choose the member who holds the position, or name the holder.")
            )
        return cleaned


class SodRuleForm(forms.ModelForm):
    class Meta:
        model = SodRule
        fields = [
            "kind",
            "name_zh",
            "name_en",
            "position_a",
            "position_b",
            "duty_a",
            "duty_b",
            "rationale_zh",
            "rationale_en",
            "is_active",
        ]
        widgets = {
            "rationale_zh": forms.Textarea(attrs={"rows": 3}),
            "rationale_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        positions = Position.objects.for_organisation(organisation).select_related("body")
        self.fields["position_a"].queryset = positions
        self.fields["position_b"].queryset = positions


class PositionFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        label=_("Compliance body"), queryset=ComplianceBody.objects.none()
    )
    may_stop_exports = django_filters.BooleanFilter(label=_("May stop any export"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Position
        fields = ["body", "may_stop_exports", "is_active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["body"].queryset = ComplianceBody.objects.for_organisation(
            request.organisation
        )
