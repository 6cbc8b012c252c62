"""Forms of the audit pages: they check shape; the services check meaning."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import Answer, AuditType, ChecklistTemplate, Recurrence, Severity
from .services.audits import ELEMENT_CODES, auditors_of


def element_choices():
    from .selectors import elements_by_code

    elements = elements_by_code()
    return [(code, str(elements[code]) if code in elements else code) for code in ELEMENT_CODES]


class AuditForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    audit_type = forms.ChoiceField(label=_("Type"), choices=AuditType.choices)
    elements = forms.MultipleChoiceField(
        label=_("Elements in scope"), widget=forms.CheckboxSelectMultiple
    )
    period_start = forms.DateField(
        label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    planned_start = forms.DateField(
        label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    planned_end = forms.DateField(
        label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    lead_auditor = forms.ModelChoiceField(label=_("Lead auditor"), queryset=None)
    team = forms.ModelMultipleChoiceField(
        label=_("Audit team"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    template = forms.ModelChoiceField(label=_("Checklist template"), queryset=None)
    sample_size = forms.IntegerField(
        label=_("Random sample size"),
        min_value=0,
        max_value=1000,
        initial=20,
        help_text=_(
            "Transactions drawn at random besides the risk-based sample (all held or rejected "
            "ones, all with true hits, all with red flags answered yes)."
        ),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elements"].choices = element_choices()
        auditors = auditors_of(organisation)
        self.fields["lead_auditor"].queryset = auditors
        self.fields["team"].queryset = auditors
        self.fields["template"].queryset = ChecklistTemplate.objects.visible_to(
            organisation
        ).select_related("framework")

    def clean(self):
        data = super().clean()
        for start, end in (("period_start", "period_end"), ("planned_start", "planned_end")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("The end must not be before the start."))
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[("", _("Not answered")), *list(Answer.choices)],
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class EvidenceLinkForm(forms.Form):
    url = forms.CharField(
        label=_("Address of the record"),
        max_length=500,
        help_text=_("Copy the address of a page of this application, e.g. /trade/transactions/12/"),
    )
    label = forms.CharField(label=_("Label"), max_length=200, required=False)


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Finding"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    element_code = forms.ChoiceField(label=_("Element"))
    root_cause = forms.CharField(
        label=_("Root cause"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element_code"].choices = element_choices()


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Corrective action"), widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["owner"].queryset = User.objects.filter(
            memberships__organisation=organisation, memberships__is_active=True, is_active=True
        ).order_by("full_name", "email")


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"))
    progress_note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ActionStatus

        self.fields["status"].choices = [
            (s.value, s.label)
            for s in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
        ]


class ActionVerifyForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Result"),
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", _("Done as required: close it")),
            ("no", _("Not sufficient: back to the owner")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("What you checked"), widget=forms.Textarea(attrs={"rows": 3}))


class SignOffForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the results"), widget=forms.Textarea(attrs={"rows": 5})
    )
    confirm = forms.BooleanField(
        label=_("I sign off this audit. It can no longer be changed afterwards.")
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ReportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("zh-hans", "简体中文"), ("en", "English")]
    )


class TemplateCopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy from"), queryset=None)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = ChecklistTemplate.objects.visible_to(organisation)


class QuestionForm(forms.Form):
    element = forms.ChoiceField(label=_("Element"))
    text_zh = forms.CharField(
        label=_("Question (Chinese)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("Question (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guidance_zh = forms.CharField(
        label=_("Guidance for the auditor (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    guidance_en = forms.CharField(
        label=_("Guidance for the auditor (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = element_choices()
        if editing:
            del self.fields["element"]
        else:
            del self.fields["is_active"]


class PlanEntryForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    audit_type = forms.ChoiceField(label=_("Type"), choices=AuditType.choices)
    elements = forms.MultipleChoiceField(
        label=_("Elements in scope"), widget=forms.CheckboxSelectMultiple
    )
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices)
    next_start = forms.DateField(
        label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    duration_days = forms.IntegerField(label=_("Planned duration (days)"), min_value=1, initial=14)
    period_months = forms.IntegerField(
        label=_("Period covered (months)"), min_value=1, max_value=60, initial=12
    )
    lead_auditor = forms.ModelChoiceField(label=_("Lead auditor"), queryset=None, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elements"].choices = element_choices()
        self.fields["lead_auditor"].queryset = auditors_of(organisation)
