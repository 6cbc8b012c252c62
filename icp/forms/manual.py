"""E9: the request form of a manual revision (its shape; the service checks the meaning)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from icp.models import ManualEdition, ManualLanguage, RevisionReason


class ManualRequestForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=ManualLanguage.choices)
    edition = forms.ChoiceField(
        label=_("Edition"),
        choices=ManualEdition.choices,
        initial=ManualEdition.FULL,
        required=False,  # the full edition unless the concise one is chosen
    )
    document_number = forms.RegexField(
        label=_("Document number"),
        regex=r"^[A-Za-z0-9_./-]{1,40}$",
        max_length=40,
        required=False,
        error_messages={
            "invalid": _("A document number has at most 40 letters, digits and the signs - _ . /")
        },
    )
    revision_reason = forms.ChoiceField(
        label=_("Reason for the revision"),
        choices=[("", "—"), *RevisionReason.choices],
        required=False,
    )
    foreign_law_annex = forms.BooleanField(
        label=_("Include the foreign-law risk annex"),
        required=False,  # left out of the MOFCOM-facing manual unless chosen
    )


class ManualSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=ManualLanguage.choices)
    edition = forms.ChoiceField(label=_("Edition"), choices=ManualEdition.choices)
    foreign_law_annex = forms.BooleanField(
        label=_("Include the foreign-law risk annex"), required=False
    )
