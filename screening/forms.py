from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from accounts.models import Membership, User
from core.i18n import joined
from screening.adapters import PARSERS
from screening.models import Adjudication, EntityType, ScreeningList, ScreeningSettings


def _country_choices():
    return [("", "—"), *countries]


class CountryChoiceField(LazyTypedChoiceField):
    def __init__(self, **kwargs):
        # A callable: the names and their order follow the reader's language on every
        # rendering (a list made here would freeze the language active at import time).
        super().__init__(choices=_country_choices, required=False, **kwargs)


class ScreenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        help_text=_("In any script: 示例光电有限公司, Shili Optoelectronics, Рособоронэкспорт ..."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    name_latin = forms.CharField(
        label=_("Second name (optional)"),
        max_length=300,
        required=False,
        help_text=_("The same party's name in another script, screened together."),
    )
    country = CountryChoiceField(label=_("Country"))
    address = forms.CharField(label=_("Address"), max_length=500, required=False)


class AdjudicationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Adjudication.Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. different company: registered in Munich, other address and business."),
    )


class ListImportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[(key, key) for key in PARSERS],
        help_text=_("See the format descriptions under docs/list-formats."),
    )
    file = forms.FileField(label=_("File"))


class ScreeningListForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("Source"), required=False, max_length=500, assume_scheme="https"
    )
    public = forms.BooleanField(
        label=_("Public list (shared by every organisation)"),
        required=False,
    )

    class Meta:
        model = ScreeningList
        fields = [
            "code",
            "name_zh",
            "name_en",
            "issuer",
            "legal_category",
            "severity",
            "severity_reason",
            "source_url",
            "legal_basis",
        ]
        widgets = {"severity_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, allow_public=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_public:
            del self.fields["public"]
        # Left empty, the severity follows the legal category: a foreign list only warns.
        self.fields["severity"].required = False
        self.fields["severity"].choices = [
            ("", _("Default for the legal category")),
            *ScreeningList.Severity.choices,
        ]
        self.fields["severity"].initial = ""


class ListSeverityForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=ScreeningList.Severity.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to treat a foreign unilateral list as prohibited: who decided, and why."
        ),
    )


def _split_lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").replace("|", "\n").splitlines() if line.strip()]


class EntityForm(forms.Form):
    entity_id = forms.CharField(
        label=_("Entity id"),
        max_length=100,
        help_text=_("Unique within the list, e.g. UEL-2023-01"),
    )
    entity_type = forms.ChoiceField(label=_("Entity type"), choices=EntityType.choices)
    name = forms.CharField(label=_("Name"), max_length=500)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, in any script (Chinese name, English name, former names)."),
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_("ISO codes separated by commas, e.g. US, JP"),
    )
    addresses = forms.CharField(
        label=_("Addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    identifiers = forms.CharField(
        label=_("Identifiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. LEI 5493001KJTIIGC8Y1R12"),
    )
    programme = forms.CharField(
        label=_("Programme or announcement"), max_length=300, required=False
    )
    listed_on = forms.DateField(
        label=_("Listed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    delisted_on = forms.DateField(
        label=_("Delisted on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source_url = forms.URLField(
        label=_("Source"), required=False, max_length=500, assume_scheme="https"
    )
    note = forms.CharField(
        label=_("Why this change"),
        max_length=500,
        required=False,
        help_text=_("Kept with the new list version."),
    )

    def clean_countries(self):
        codes = [
            c.strip().upper()
            for c in self.cleaned_data["countries"].replace(";", ",").split(",")
            if c.strip()
        ]
        bad = [c for c in codes if c not in countries]
        if bad:
            raise forms.ValidationError(
                _("Unknown country code(s): %(codes)s") % {"codes": joined(bad)}
            )
        return codes

    def record(self):
        from screening.adapters import EntityRecord

        data = self.cleaned_data
        return EntityRecord(
            entity_id=data["entity_id"].strip(),
            name=" ".join(data["name"].split()),
            entity_type=data["entity_type"],
            aliases=[
                {"text": a, "weak": False}
                for a in _split_lines(data["aliases"])
                if a != data["name"]
            ],
            countries=data["countries"],
            addresses=_split_lines(data["addresses"]),
            identifiers=_split_lines(data["identifiers"]),
            programme=data["programme"],
            listed_on=data["listed_on"],
            delisted_on=data["delisted_on"],
            remarks=data["remarks"],
            source_url=data["source_url"],
        )

    @classmethod
    def initial_from(cls, entity):
        return {
            "entity_id": entity.entity_id,
            "entity_type": entity.entity_type,
            "name": entity.name,
            "aliases": "\n".join(a["text"] for a in entity.aliases),
            "countries": ", ".join(entity.countries),
            "addresses": "\n".join(entity.addresses),
            "identifiers": "\n".join(entity.identifiers),
            "programme": entity.programme,
            "listed_on": entity.listed_on,
            "delisted_on": entity.delisted_on,
            "remarks": entity.remarks,
            "source_url": entity.source_url,
        }


class ScreeningSettingsForm(forms.ModelForm):
    class Meta:
        model = ScreeningSettings
        fields = ["threshold", "notify_compliance_managers"]
        widgets = {
            "threshold": forms.NumberInput(attrs={"step": "0.01", "min": "0.5", "max": "0.99"})
        }


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("For example: ERP production")
    )
    user = forms.ModelChoiceField(label=_("Acts as"), queryset=None)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["user"].queryset = User.objects.filter(
            pk__in=Membership.objects.active().filter(organisation=organisation).values("user")
        )


class AnnouncementForm(forms.Form):
    """The parties an official announcement names, added to an organisation list at once."""

    announcement = forms.CharField(
        label=_("Announcement number"),
        max_length=100,
        help_text=_("E.g. MOFCOM Announcement No. 1 of 2025."),
    )
    announced_on = forms.DateField(
        label=_("Announcement date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    names = forms.CharField(
        label=_("Names"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One party per line, as the announcement writes it."),
    )
    country = CountryChoiceField(label=_("Country"))
    source_url = forms.URLField(
        label=_("Link to the announcement"), required=False, assume_scheme="https"
    )
