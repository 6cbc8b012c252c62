from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ProgrammeProfile

from .questionnaire import QUESTIONS


class RiskQuestionnaireForm(forms.Form):
    """One required choice per question; an unanswered question keeps the other answers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.code] = forms.ChoiceField(
                label=question.label,
                choices=[(answer.code, answer.label) for answer in question.answers],
                widget=forms.RadioSelect,
            )


class ProgrammeProfileForm(forms.Form):
    profile = forms.ChoiceField(
        label=_("Programme profile"), choices=ProgrammeProfile.choices, widget=forms.RadioSelect
    )
    confirmed = forms.BooleanField(
        label=_(
            "We are a very small firm (a handful of staff and few export transactions) and "
            "accept the lite programme: the transaction review asks only the questions PRC law "
            "makes triggers, and the manual is the concise edition."
        ),
        required=False,
    )
