from django import forms
from django.utils.translation import gettext_lazy as _

from icp.models import ManualEdition, ManualLanguage
from screening.models import ScreeningList

from .models import AnnouncementStatus, Publication

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberInviteForm(forms.Form):
    credit_code = forms.CharField(
        label=_("Unified social credit code of the organisation"),
        max_length=18,
        min_length=18,
        help_text=_("18 characters, as on its business licence."),
    )


class MembershipAcceptForm(forms.Form):
    shares_status = forms.BooleanField(
        label=_("Let the chamber see our programme status"),
        required=False,
        help_text=_(
            "The state of the nine elements, readiness, overdue items and the last audit's "
            "result. Never your transactions, parties or documents. You can withdraw this "
            "at any time."
        ),
    )


class PublicationForm(forms.ModelForm):
    """Every kind of publication on one form; the service checks what each kind needs. A list
    version takes the chamber's current list; a course its material (body), quiz and pass mark;
    recommended settings the manual's language, edition and annex."""

    quiz_zh = forms.CharField(
        label=_("Quiz (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Courses only. One question per block, blocks separated by an empty line: the "
            "question, then each option on its own line starting with -, the right one with *."
        ),
    )
    quiz_en = forms.CharField(
        label=_("Quiz (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The same questions and options in the same order."),
    )
    pass_mark = forms.IntegerField(
        label=_("Quiz pass mark"), required=False, min_value=1, max_value=100
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=1, max_value=600
    )
    manual_language = forms.ChoiceField(
        label=_("Manual language"),
        required=False,
        choices=[("", "—"), *ManualLanguage.choices],
    )
    manual_edition = forms.ChoiceField(
        label=_("Manual edition"),
        required=False,
        choices=[("", "—"), *ManualEdition.choices],
    )
    manual_foreign_law_annex = forms.BooleanField(
        label=_("Include the foreign-law risk annex"), required=False
    )

    class Meta:
        model = Publication
        fields = [
            "kind",
            "title_zh",
            "title_en",
            "announcement_number",
            "announcement_date",
            "effective_date",
            "summary_zh",
            "summary_en",
            "action_zh",
            "action_en",
            "body_zh",
            "body_en",
        ]
        widgets = {
            "announcement_date": DATE_INPUT,
            "effective_date": DATE_INPUT,
            "summary_zh": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "action_zh": forms.Textarea(attrs={"rows": 3}),
            "action_en": forms.Textarea(attrs={"rows": 3}),
            "body_zh": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "body_zh": _(
                "A template's text, or a course's material: a line starting with ## opens a "
                "section, an empty line a new paragraph."
            ),
        }


class ListUpdateForm(forms.Form):
    screening_list = forms.ModelChoiceField(
        label=_("Screening list"),
        queryset=ScreeningList.objects.none(),
        help_text=_("Its current version is published; make the version on the list's page first."),
    )
    announcement_number = forms.CharField(
        label=_("Announcement number"),
        max_length=100,
        help_text=_("As the authority numbered it, e.g. 商务部公告2025年第51号."),
    )
    announcement_date = forms.DateField(label=_("Announcement date"), widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("Status of the announcement"),
        choices=AnnouncementStatus.choices,
        initial=AnnouncementStatus.IN_FORCE,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["screening_list"].queryset = ScreeningList.objects.filter(
            organisation=organisation
        ).order_by("code")
        self.fields["screening_list"].label_from_instance = lambda sl: sl.name


class ListUpdateStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status of the announcement"), choices=AnnouncementStatus.choices
    )
