"""Which records are regulated, when each one starts and ends, for retention and deletion guards.

Each app's record models are declared here (or by the app itself, with
`retention_subject_register`) with the field that dates the record and the field that dates its
end event: the end of a transaction, the closure of an incident, the supersession of a policy.
A `record_filter` says which rows are records at all: a policy draft is work in progress and may
be discarded; from submission on it is a record.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# REGS Art. 27 names the documents it requires to be kept for at least five years: end-user and
# end-use certificates, contracts, invoices, account books, shipping documents and business
# correspondence "related to dual-use exports". Other record types are kept as long by the
# company's own rule, following Art. 27: the law does not name them, and the app says so.
LEGAL_BASIS_ART_27 = _("Regulations on dual-use items, Art. 27")
COMPANY_RULE_ART_27 = _("Company rule, following Art. 27 of the Regulations on dual-use items")
ACCOUNTING_RECORDS_NOTE = _(
    "Accounting vouchers and account books are also accounting archives: they are kept for at "
    "least 30 years under the Measures for the Administration of Accounting Archives, whichever "
    "period is longer."
)


@dataclass(frozen=True)
class RetentionSubject:
    label: str  # "app_label.modelname"
    created_field: str
    ended_field: str | None = None
    end_label: Promise | None = None
    record_filter: Q = field(default_factory=Q)
    named_in_law: bool = False  # a document REGS Art. 27 names (contract, EUC, invoice ...)

    @property
    def legal_basis(self) -> Promise:
        """Why the record is kept five years (lazy: rendered in the reader's language): the law
        itself for the documents Art. 27 names, the company's rule following it otherwise."""
        return LEGAL_BASIS_ART_27 if self.named_in_law else COMPANY_RULE_ART_27

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name


# Document types (records.Document.Type values) that Art. 27 names.
DOCUMENT_TYPES_NAMED_IN_LAW = frozenset(
    {"contract", "invoice", "end_user_certificate", "end_user_undertaking", "correspondence"}
)


def document_retention_basis(document_type: str) -> Promise:
    """The basis for keeping a document type: Art. 27 for the documents it names (the end-user
    undertaking is part of the end-user certificate, REGS Art. 24), the company's rule else."""
    if document_type in DOCUMENT_TYPES_NAMED_IN_LAW:
        return LEGAL_BASIS_ART_27
    return COMPANY_RULE_ART_27


_SUBJECTS: dict[str, RetentionSubject] = {}


def retention_subject_register(
    label: str,
    *,
    created_field: str,
    ended_field: str | None = None,
    end_label=None,
    record_filter: Q | None = None,
    named_in_law: bool = False,
) -> None:
    """Declare a regulated record type; ignored when the model does not exist (yet)."""
    try:
        apps.get_model(label)
    except LookupError:
        return
    _SUBJECTS[label] = RetentionSubject(
        label=label,
        created_field=created_field,
        ended_field=ended_field,
        end_label=end_label,
        record_filter=record_filter if record_filter is not None else Q(),
        named_in_law=named_in_law,
    )


def retention_subject(label: str) -> RetentionSubject | None:
    return _SUBJECTS.get(label)


def retention_subjects() -> list[RetentionSubject]:
    return list(_SUBJECTS.values())


def register_default_subjects() -> None:
    """The record types of the apps in this installation (called from RecordsConfig.ready)."""
    retention_subject_register(
        "icp.policyversion",
        created_field="created_at",
        ended_field="superseded_at",
        end_label=_("supersession of the policy"),
        record_filter=~Q(status="draft"),
    )
    retention_subject_register(
        "icp.riskassessment",
        created_field="created_at",
        ended_field="approved_at",
        end_label=_("approval of the assessment"),
        record_filter=Q(status="approved"),
    )
    retention_subject_register(
        "icp.incident",
        created_field="reported_at",
        ended_field="closed_at",
        end_label=_("closure of the incident"),
    )
    retention_subject_register(
        "icp.trainingsession",
        created_field="created_at",
        ended_field="date",
        end_label=_("the training session"),
    )
    retention_subject_register(
        "screening.screening",
        created_field="created_at",
        ended_field="created_at",
        end_label=_("the screening"),
    )
    retention_subject_register(
        "trade.transaction",
        created_field="created_at",
        ended_field="shipped_on",
        end_label=_("shipment (end of the transaction)"),
        record_filter=~Q(state="draft"),
        # the transaction file holds the contract, invoice, end-user certificate, shipping
        # documents and correspondence that Art. 27 names
        named_in_law=True,
    )
    retention_subject_register(
        "trade.licence",
        created_field="created_at",
        ended_field="valid_until",
        end_label=_("expiry of the licence"),
    )


def retention_basis(*, record_type: str, document_type: str = "") -> Promise:
    """The basis of the legal minimum for a retained record or document (see above)."""
    if document_type:
        return document_retention_basis(document_type)
    subject = retention_subject(record_type)
    return subject.legal_basis if subject else COMPANY_RULE_ART_27
