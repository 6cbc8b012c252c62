from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import organisation_members
from icp.models import Course, DestinationRisk, RiskAssessment, RiskFactor

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})

LIKELIHOOD_CHOICES = [
    (1, _("1 · Rare")),
    (2, _("2 · Unlikely")),
    (3, _("3 · Possible")),
    (4, _("4 · Likely")),
    (5, _("5 · Almost certain")),
]
IMPACT_CHOICES = [
    (1, _("1 · Negligible")),
    (2, _("2 · Minor")),
    (3, _("3 · Moderate")),
    (4, _("4 · Major")),
    (5, _("5 · Severe")),
]


class RiskAssessmentForm(forms.ModelForm):
    class Meta:
        model = RiskAssessment
        fields = (
            "title",
            "assessment_date",
            "period_start",
            "period_end",
            "assessor",
            "scope_zh",
            "scope_en",
            "conclusion_zh",
            "conclusion_en",
        )
        widgets = {
            "assessment_date": DATE,
            "period_start": DATE,
            "period_end": DATE,
            "scope_zh": TEXT,
            "scope_en": TEXT,
            "conclusion_zh": TEXT,
            "conclusion_en": TEXT,
        }
        help_texts = {
            "scope_zh": _("Products, business lines, sites and markets covered."),
            "conclusion_zh": _("Overall result and the resources and review depth it calls for."),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = organisation_members(organisation)


class RiskCopyForwardForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    assessment_date = forms.DateField(label=_("Assessment date"), widget=DATE)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after its first day."))
        return cleaned


class RiskApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Approval note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: resources committed, conditions, next review."),
    )


class RiskFactorForm(forms.ModelForm):
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=LIKELIHOOD_CHOICES, coerce=int
    )
    impact = forms.TypedChoiceField(label=_("Impact"), choices=IMPACT_CHOICES, coerce=int)
    residual_likelihood = forms.TypedChoiceField(
        label=_("Residual likelihood"), choices=LIKELIHOOD_CHOICES, coerce=int
    )
    residual_impact = forms.TypedChoiceField(
        label=_("Residual impact"), choices=IMPACT_CHOICES, coerce=int
    )

    class Meta:
        model = RiskFactor
        fields = (
            "category",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "likelihood",
            "impact",
            "mitigation_zh",
            "mitigation_en",
            "controls",
            "courses",
            "residual_likelihood",
            "residual_impact",
            "owner",
            "review_date",
        )
        widgets = {
            "description_zh": TEXT,
            "description_en": TEXT,
            "mitigation_zh": TEXT,
            "mitigation_en": TEXT,
            "controls": TEXT,
            "courses": forms.CheckboxSelectMultiple,
            "review_date": DATE,
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisation_members(organisation)
        self.fields["courses"].queryset = Course.objects.for_organisation(organisation).filter(
            is_active=True
        )
        self.fields["courses"].help_text = _("Training that mitigates this risk (E6).")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("title_zh") or cleaned.get("title_en")):
            self.add_error("title_zh", _("Name the risk in Chinese or English."))
        for residual, inherent in (
            ("residual_likelihood", "likelihood"),
            ("residual_impact", "impact"),
        ):
            if (cleaned.get(residual) or 0) > (cleaned.get(inherent) or 5):
                self.add_error(residual, _("Cannot be higher than before mitigation."))
        return cleaned

    def _post_clean(self):
        # The model's cross-field constraint is reported on the fields above instead.
        if not self.errors:
            super()._post_clean()


class DestinationRiskForm(forms.ModelForm):
    class Meta:
        model = DestinationRisk
        fields = (
            "country",
            "level",
            "scope",
            "reason_zh",
            "reason_en",
            "source",
            "confidence",
            "as_of",
        )
        widgets = {
            "reason_zh": TEXT,
            "reason_en": TEXT,
            "source": forms.Textarea(attrs={"rows": 2}),
            "as_of": DATE,
        }
        help_texts = {
            "source": _("Announcement, resolution or web page, with its date."),
            "as_of": _("The date you last checked the source."),
        }
