from django import forms
from django.utils.translation import gettext_lazy as _

from icp.services.training_library import course_library

from .citations import provision_choices
from .models import EnforcementCase, Event

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Entered and shown in the installation's time zone (Beijing time, settings.TIME_ZONE).
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    online_link = forms.URLField(
        label=Event._meta.get_field("online_link").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "starts_at",
            "duration_minutes",
            "place",
            "online_link",
            "capacity",
            "registration_deadline",
            "library_code",
            "cases",
        ]
        widgets = {
            "starts_at": DATETIME_INPUT,
            "registration_deadline": DATETIME_INPUT,
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "cases": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "starts_at": _("Beijing time (UTC+8)."),
            "registration_deadline": _("Beijing time (UTC+8)."),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library_code"] = forms.ChoiceField(
            label=self.fields["library_code"].label,
            help_text=self.fields["library_code"].help_text,
            required=False,
            choices=[("", _("None"))]
            + [(course.code, course.topic) for course in course_library().courses],
        )
        cases = self.fields["cases"]
        assert isinstance(cases, forms.ModelMultipleChoiceField)
        cases.queryset = EnforcementCase.objects.for_organisation(organisation)
        cases.help_text = _("From your case library, as training material for the event.")

    def clean(self):
        cleaned = super().clean()
        for name in ("starts_at", "registration_deadline"):
            # Shown to the minute: sent back unchanged, the stored time stays as it is.
            stored, sent = getattr(self.instance, name, None), cleaned.get(name)
            if stored and sent and stored.replace(second=0, microsecond=0) == sent:
                cleaned[name] = stored
        starts_at, deadline = cleaned.get("starts_at"), cleaned.get("registration_deadline")
        if starts_at and deadline and deadline > starts_at:
            # Under the field, before the model's constraint would say it in its own words.
            self.add_error(
                "registration_deadline", _("Registration must close before the event starts.")
            )
        return cleaned


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The members registered receive it with the notice of the cancellation."),
    )


class EnforcementCaseForm(forms.ModelForm):
    provisions = forms.MultipleChoiceField(
        label=_("Legal provisions cited"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The articles the decision applies, from the laws in the reference library."),
    )

    class Meta:
        model = EnforcementCase
        fields = [
            "title_zh",
            "title_en",
            "authority",
            "authority_name",
            "decision_number",
            "decision_date",
            "source",
            "summary_zh",
            "summary_en",
            "lessons_zh",
            "lessons_en",
            "provisions",
        ]
        widgets = {
            "decision_date": DATE_INPUT,
            "summary_zh": forms.Textarea(attrs={"rows": 5}),
            "summary_en": forms.Textarea(attrs={"rows": 5}),
            "lessons_zh": forms.Textarea(attrs={"rows": 3}),
            "lessons_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provisions = self.fields["provisions"]
        assert isinstance(provisions, forms.MultipleChoiceField)
        provisions.choices = provision_choices()


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=_("Attended"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        attended = self.fields["attended"]
        assert isinstance(attended, forms.TypedMultipleChoiceField)
        attended.choices = [(r.pk, str(r.user)) for r in registrations]
        self.initial.setdefault("attended", [r.pk for r in registrations if r.attended])
