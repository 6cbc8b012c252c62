from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from records.models import Document, LegalHold, RetentionRule
from records.selectors import record_type_choices
from records.services.reminders import reminder_kinds


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=Document.Type.choices, required=False
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class RetentionRuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["subject", "record_type", "document_type", "start_event", "years", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"] = forms.ChoiceField(
            label=_("Record type"),
            choices=[("", _("Every record type")), *record_type_choices()[1:]],
            required=False,
        )
        self.fields["document_type"] = forms.ChoiceField(
            label=_("Document type"),
            choices=[("", _("Every document type")), *Document.Type.choices],
            required=False,
            help_text=_("Only for rules on documents."),
        )
        self.fields["years"].help_text = _(
            "At least 5 years (REGS 2024 Art. 27); you may keep records longer, never shorter."
        )


class LegalHoldForm(forms.ModelForm):
    class Meta:
        model = LegalHold
        fields = ["kind", "reference", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ReasonForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class OptionalNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class BundleForm(forms.Form):
    SCOPES = (
        ("transaction", _("One transaction")),
        ("period", _("All transactions of a period")),
        ("hold", _("Everything under a legal hold")),
    )
    scope = forms.ChoiceField(label=_("Bundle of"), choices=SCOPES, widget=forms.RadioSelect)
    transaction = forms.CharField(label=_("Transaction reference"), max_length=64, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    licensed_only = forms.BooleanField(label=_("Licensed exports only"), required=False)
    hold = forms.ModelChoiceField(
        label=_("Legal hold"), queryset=LegalHold.objects.none(), required=False
    )
    language = forms.ChoiceField(label=_("Language of the index"), choices=settings.LANGUAGES)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hold"].queryset = LegalHold.objects.for_organisation(organisation)

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == "transaction" and not data.get("transaction"):
            self.add_error("transaction", _("Enter the transaction's reference."))
        if scope == "period":
            if not data.get("start") or not data.get("end"):
                self.add_error("start", _("Enter the first and last day of the period."))
            elif data["start"] > data["end"]:
                self.add_error("end", _("The period must end on or after its first day."))
        if scope == "hold" and not data.get("hold"):
            self.add_error("hold", _("Choose the legal hold."))
        return data


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)
    email_digest = forms.BooleanField(label=_("Send me a daily e-mail digest"), required=False)
    enabled_kinds = forms.MultipleChoiceField(
        label=_("Remind me of"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled_kinds"].choices = [(k, label) for k, label in reminder_kinds()]
