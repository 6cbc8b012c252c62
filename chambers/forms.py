from django import forms
from django.utils.translation import gettext_lazy as _

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
