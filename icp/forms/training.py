from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import organisation_members
from icp.models import Course, TrainingFunction, TrainingSession
from icp.models.training import AUDIENCE_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class CourseForm(forms.ModelForm):
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=AUDIENCE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who must take this course. “All staff” includes every function."),
    )

    class Meta:
        model = Course
        fields = (
            "topic_zh",
            "topic_en",
            "description_zh",
            "description_en",
            "audience",
            "duration_minutes",
            "refresher_months",
            "pass_mark",
            "is_active",
        )
        widgets = {"description_zh": TEXT, "description_en": TEXT}


class TrainingSessionForm(forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "attendee-list"}),
    )

    class Meta:
        model = TrainingSession
        fields = ("course", "date", "trainer", "location", "is_online", "notes")
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"location": _("Meeting room, site, or the online meeting used.")}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.for_organisation(organisation).filter(
            is_active=True
        ) | Course.objects.for_organisation(organisation).filter(
            pk=getattr(self.instance, "course_id", None)
        )
        self.fields["attendees"].queryset = organisation_members(organisation)
        # The model allows an empty trainer only on self-study sessions, which no form records.
        self.fields["trainer"].required = True
        if self.instance.pk:
            self.fields["attendees"].initial = list(
                self.instance.attendances.values_list("user_id", flat=True)
            )


class SessionResultsForm(forms.Form):
    """One score field per attendance of the session."""

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = list(attendances)
        for attendance in self.attendances:
            self.fields[f"score-{attendance.pk}"] = forms.IntegerField(
                label=str(attendance.user),
                min_value=0,
                max_value=100,
                required=False,
                initial=attendance.quiz_score,
            )

    def rows(self):
        return [(attendance, self[f"score-{attendance.pk}"]) for attendance in self.attendances]

    def scores(self) -> dict[int, int | None]:
        return {
            attendance.pk: self.cleaned_data.get(f"score-{attendance.pk}")
            for attendance in self.attendances
        }


class TrainingFunctionsForm(forms.Form):
    """One training-function choice per member of the organisation."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.matrix_rows = rows
        for row in rows:
            self.fields[f"function-{row.user.pk}"] = forms.ChoiceField(
                label=str(row.user),
                choices=TrainingFunction.choices,
                initial=row.function,
            )

    def rows(self):
        return [(row, self[f"function-{row.user.pk}"]) for row in self.matrix_rows]

    def changes(self) -> list[tuple]:
        return [
            (row.user, self.cleaned_data[f"function-{row.user.pk}"])
            for row in self.matrix_rows
            if self.cleaned_data[f"function-{row.user.pk}"] != row.function
        ]


class QuizForm(forms.Form):
    """One radio group per question of a library course's quiz, in the reader's language."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for number, question in enumerate(questions, start=1):
            self.fields[question.code] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                choices=list(enumerate(question.options)),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )
