from django import forms

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
