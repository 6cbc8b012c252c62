"""Forms for transactions, items, classifications and licences: shape only; the services check
meaning."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.i18n import parenthesised, semicolon_joined
from records.models import Document
from screening.models import Party
from trade.models import (
    Answer,
    Classification,
    Item,
    Licence,
    LicenceDecision,
    PartyRole,
    ReportDuty,
    Transaction,
)
from trade.review_text import citations
from trade.services.licence_path import ANSWER_LABELS as PATH_ANSWER_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _matches(found) -> str:
    """The first records that match, each with its reference in the reader's parentheses and
    separated by the reader's semicolon (names such as "Acme Co., Ltd." have commas):
    "Acme Co., Ltd. (C-1); …" / "甲公司（C-1）；…"."""
    return semicolon_joined(f"{r}{parenthesised(r.reference or '-')}" for r in found[:5])


class TransactionForm(forms.ModelForm):
    class Meta:
        model = Transaction
        fields = [
            "reference",
            "kind",
            "is_intangible",
            "stage",
            "order_date",
            "planned_shipment_date",
            "destination_country",
            "transit_countries",
            "end_use",
            "customer_reference",
            "sales_approved_by",
            "notes",
        ]
        widgets = {
            "order_date": DATE,
            "planned_shipment_date": DATE,
            "end_use": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "transit_countries": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sales_approved_by"].queryset = User.objects.filter(
            memberships__organisation=organisation, memberships__is_active=True
        ).order_by("email")
        self.fields["sales_approved_by"].help_text = _(
            "Who approved the sale commercially (segregation of duties: they cannot also "
            "approve it for compliance)."
        )


class LineForm(forms.Form):
    item = forms.CharField(
        label=_("Item"),
        max_length=200,
        help_text=_("Item number, or the product or model (or a unique part of it)."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0.001, max_digits=14, decimal_places=3
    )
    unit = forms.CharField(label=_("Unit"), max_length=16, initial="pcs")
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    hs_code = forms.CharField(label=_("HS code"), max_length=12, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_item(self):
        """Found by item number, model or product name: no drop-down of the whole item master."""
        text = self.cleaned_data["item"].strip()
        items = Item.objects.for_organisation(self.organisation).filter(is_active=True)
        for lookup in ({"reference": text}, {"model_number": text}, {"name": text}):
            found = list(items.filter(**lookup)[:2])
            if len(found) == 1:
                return found[0]
        found = list(
            items.filter(
                models.Q(name__icontains=text)
                | models.Q(name_en__icontains=text)
                | models.Q(model_number__icontains=text)
            ).order_by("name")[:6]
        )
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                _("No item in the item master matches '%(text)s'.") % {"text": text}
            )
        raise forms.ValidationError(
            _("Several items match: %(names)s. Give the item number or the model.")
            % {"names": _matches(found)}
        )


class LineUpdateForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0.001, max_digits=14, decimal_places=3
    )
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=16, decimal_places=2)


class PartyLinkForm(forms.Form):
    """The party is found in the register by its number or its name (a register may hold
    hundreds of thousands of parties: no drop-down)."""

    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    party = forms.CharField(
        label=_("Party"),
        max_length=300,
        help_text=_("Customer number, or the name (or a unique part of it)."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_party(self):
        text = self.cleaned_data["party"].strip()
        parties = Party.objects.for_organisation(self.organisation).filter(is_active=True)
        for lookup in ({"reference": text}, {"name": text}, {"name_latin": text}):
            found = list(parties.filter(**lookup)[:2])
            if len(found) == 1:
                return found[0]
        found = list(
            parties.filter(
                models.Q(name__icontains=text) | models.Q(name_latin__icontains=text)
            ).order_by("name")[:6]
        )
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                _("No party in the register matches '%(text)s'.") % {"text": text}
            )
        raise forms.ValidationError(
            _("Several parties match: %(names)s. Give the customer number or the full name.")
            % {"names": _matches(found)}
        )


class EucForm(forms.Form):
    euc_issuer = forms.CharField(label=_("Issued by"), max_length=300, required=False)
    euc_number = forms.CharField(label=_("Certificate number"), max_length=100, required=False)
    euc_issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    euc_valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class DocumentForm(forms.Form):
    DOCUMENT_TYPES = [
        (Document.Type.END_USER_CERTIFICATE, Document.Type.END_USER_CERTIFICATE.label),
        (Document.Type.END_USER_UNDERTAKING, Document.Type.END_USER_UNDERTAKING.label),
        (Document.Type.CONTRACT, Document.Type.CONTRACT.label),
        (Document.Type.INVOICE, Document.Type.INVOICE.label),
        (Document.Type.CORRESPONDENCE, Document.Type.CORRESPONDENCE.label),
        (Document.Type.OTHER, Document.Type.OTHER.label),
    ]
    document_type = forms.ChoiceField(label=_("Document type"), choices=DOCUMENT_TYPES)
    file = forms.FileField(label=_("File"))


class LicenceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Licence decision"), choices=[c for c in LicenceDecision.choices if c[0]]
    )
    licence = forms.ModelChoiceField(
        label=_("Licence"), queryset=Licence.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["licence"].queryset = Licence.objects.for_organisation(organisation).filter(
            revoked_at__isnull=True
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RedFlagAnswersForm(forms.Form):
    """The red-flag questionnaire as sent (`answer-<pk>` and `note-<pk>` per question): the
    service checks the answers; bound, the form carries its refusals to the page, which shows
    every answer and note again as typed."""


class ResolveForm(forms.Form):
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ShippedForm(forms.Form):
    shipped_on = forms.DateField(label=_("Shipped on"), widget=DATE)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or Excel (.xlsx), one row per item line.")
    )


ANSWER_CHOICES = [("", "—"), *Answer.choices]


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = [
            "name",
            "name_en",
            "model_number",
            "technical_parameters",
            "hs_code",
            "reference",
            "is_active",
        ]
        widgets = {"technical_parameters": forms.Textarea(attrs={"rows": 4})}


class ClassificationForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Classification"),
        # "Consult MOFCOM" is recorded with the enquiry itself (trade/forms_items.py).
        choices=[
            c for c in Classification.Status.choices if c[0] != Classification.Status.CONSULT_MOFCOM
        ],
        widget=forms.RadioSelect,
    )
    control_code = forms.CharField(
        label=_("Control code"),
        max_length=20,
        required=False,
        help_text=_("For example 3C004.a; search the control list."),
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    catch_all = forms.ChoiceField(
        label=_("Catch-all assessment (ECL Art. 12(3))"),
        choices=Classification.CatchAll.choices,
        widget=forms.RadioSelect,
    )
    catch_all_note = forms.CharField(
        label=_("Catch-all note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    catalogue_justification = forms.CharField(
        label=_("Why not listed although the HS code is in the customs catalogue"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Which parameter, its value, and the list threshold it does not reach."),
    )

    def __init__(self, *args, catalogue_entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        if catalogue_entry is None:
            del self.fields["catalogue_justification"]


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = [
            "number",
            "kind",
            "issued_on",
            "valid_from",
            "valid_until",
            "items",
            "end_users",
            "destinations",
            "quantity_limit",
            "value_limit",
            "currency",
            "conditions",
            "voucher_case",
            "return_due_on",
            "report_duties",
            "report_within_days",
        ]
        widgets = {
            "return_due_on": DATE,
            "issued_on": DATE,
            "valid_from": DATE,
            "valid_until": DATE,
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "destinations": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = Item.objects.for_organisation(organisation)
        self.fields["end_users"].queryset = Party.objects.for_organisation(organisation)
        self.fields["end_users"].required = False
        from trade.licensing_reference import current_licensing_reference

        # What REGS Art. 18(1) asks to report after each shipment under the licence.
        self.fields["report_duties"] = forms.MultipleChoiceField(
            label=_("Reports after shipment"),
            choices=ReportDuty.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        # An export voucher names its case of REGS Art. 19(1) (reference data).
        self.fields["voucher_case"] = forms.ChoiceField(
            label=_("Export voucher case"),
            choices=[("", "—")]
            + [(c.code, str(c.text)) for c in current_licensing_reference().voucher_cases],
            required=False,
        )


class LicencePathForm(forms.Form):
    """The questions of the licensing decision path (reference data), one field per question
    named by its code, and the export-voucher case. Which answers are needed depends on the
    earlier ones; the service says which are missing."""

    def __init__(self, *args, reference, destination: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = []
        for step, title in (
            ("listing", _("1. The control list")),
            ("catch_all", _("2. Catch-all (only for an item not on the list)")),
            ("restrictions", _("3. Destination, end user and end use")),
        ):
            names = []
            for question in reference.questions_in(step):
                if not question.applies_to(destination):
                    continue
                self.fields[question.code] = forms.ChoiceField(
                    label=str(question.text),
                    help_text=str(question.help) if question.help.zh or question.help.en else "",
                    choices=[(a, PATH_ANSWER_LABELS[a]) for a in question.answers],
                    widget=forms.RadioSelect,
                    required=False,
                )
                # The legal basis in the reader's language (cited in Chinese form).
                self.fields[question.code].basis = citations(question.basis)
                names.append(question.code)
            self.steps.append((title, names))
        self.fields["voucher_case"] = forms.ChoiceField(
            label=_("Export voucher case (for a listed item)"),
            choices=[("", _("None of these cases"))]
            + [(case.code, str(case.text)) for case in reference.voucher_cases],
            required=False,
            widget=forms.RadioSelect,
        )

    def answers(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "voucher_case" and value
        }


class DutyForm(forms.Form):
    evidence_note = forms.CharField(
        label=_("What was reported, and the evidence"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
