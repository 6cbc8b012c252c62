"""E1 forms: shape only; the workflow rules are in icp.services.policy."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from accounts.selectors import organisation_members
from icp.models import PolicyStatus, PolicyVersion

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyVersionForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = [
            "title_zh",
            "title_en",
            "body_zh",
            "body_en",
            "signatory",
            "signatory_name",
            "signatory_title",
            "effective_date",
            "review_due_date",
            "change_note",
        ]
        widgets = {
            "body_zh": forms.Textarea(attrs={"rows": 22, "class": "font-monospace small"}),
            "body_en": forms.Textarea(attrs={"rows": 22, "class": "font-monospace small"}),
            "change_note": forms.Textarea(attrs={"rows": 3}),
            "effective_date": DATE_INPUT,
            "review_due_date": DATE_INPUT,
        }
        help_texts = {
            "review_due_date": _("Leave empty for one year after the effective date."),
            "signatory": _(
                "When you choose a management user, only that person can approve this version."
            ),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatory"].queryset = organisation_members(organisation).filter(
            memberships__role__in=role_sets.APPROVERS
        )
        # The service fills the name from a chosen signatory, and checks it before submission.
        self.fields["signatory_name"].required = False
        self.fields["signatory_title"].required = False
        self.fields["body_en"].required = False


class PolicyApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class PolicyReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What has to change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PolicyVersionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PolicyStatus.choices)

    class Meta:
        model = PolicyVersion
        fields = ["status"]
