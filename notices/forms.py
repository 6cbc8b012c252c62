from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NoticeLanguage, Platform


class ChannelForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("Robot address"),
        max_length=500,
        required=False,
        help_text=_(
            "The webhook address shown when the robot is added to the group. On a change, "
            "leave it empty to keep the stored one."
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret (DingTalk)"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "DingTalk's 加签 secret (SEC…). It is stored and never shown again; leave it empty "
            "to keep the stored one."
        ),
    )
    clear_secret = forms.BooleanField(label=_("Remove the stored secret"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the messages"), choices=NoticeLanguage.choices
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            self.fields["url"].required = True
            self.fields["url"].help_text = _(
                "The webhook address shown when the robot is added to the group."
            )
            del self.fields["clear_secret"]
