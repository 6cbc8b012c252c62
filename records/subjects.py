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


@dataclass(frozen=True)
class RetentionSubject:
    label: str  # "app_label.modelname"
    created_field: str
    ended_field: str | None = None
    end_label: Promise | None = None
    record_filter: Q = field(default_factory=Q)

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name


_SUBJECTS: dict[str, RetentionSubject] = {}


def retention_subject_register(
    label: str,
    *,
    created_field: str,
    ended_field: str | None = None,
    end_label=None,
    record_filter: Q | None = None,
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
    )
    retention_subject_register(
        "trade.licence",
        created_field="created_at",
        ended_field="valid_until",
        end_label=_("expiry of the licence"),
    )
