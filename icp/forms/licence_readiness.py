"""The applicant's answers to the disqualifying situations of REGS Art. 20 (its shape; the
service records them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icp.models import DISQUALIFIER_QUESTIONS, Disqualifier

ANSWER_CHOICES = [("no", _("No")), ("yes", _("Yes"))]


class DisqualifierForm(forms.Form):
    """One yes/no answer and an optional note per question."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in Disqualifier:
            self.fields[question.value] = forms.ChoiceField(
                label=DISQUALIFIER_QUESTIONS[question],
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer yes or no.")},
            )
            self.fields[f"{question.value}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=2000
            )

    def answers(self) -> dict:
        """question -> (applies, note), for the service."""
        return {
            question.value: (
                self.cleaned_data[question.value] == "yes",
                self.cleaned_data[f"{question.value}_note"],
            )
            for question in Disqualifier
        }
