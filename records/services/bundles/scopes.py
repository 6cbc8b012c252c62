"""The scopes of a bundle (one transaction, a period, a legal hold) and the cover's statement
of what a bundle covers."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.i18n import labelled, semicolon_joined
from records.models import Document, LegalHold

from .common import (
    BundleRecord,
    BundleSection,
    _document_section,
    _documents_of,
    _fmt,
    bundle_scope,
)
from .transaction import _transaction_model, transaction_bundle_record


@bundle_scope("transaction")
def _scope_transaction(*, organisation, params) -> list[BundleRecord]:
    Transaction = _transaction_model()
    if Transaction is None:
        raise ValidationError(_("Transactions are not available in this installation."))
    transaction = (
        Transaction.objects.for_organisation(organisation)
        .filter(pk=params.get("transaction"))
        .first()
    )
    if transaction is None:
        raise ValidationError(_("Unknown transaction."))
    return [transaction_bundle_record(transaction)]


@bundle_scope("period")
def _scope_period(*, organisation, params) -> list[BundleRecord]:
    Transaction = _transaction_model()
    if Transaction is None:
        raise ValidationError(_("Transactions are not available in this installation."))
    return [
        transaction_bundle_record(t)
        for t in _period_transactions(Transaction, organisation, params)
    ]


def _period_transactions(Transaction, organisation, params):
    start = datetime.date.fromisoformat(params["start"])
    end = datetime.date.fromisoformat(params["end"])
    transactions = (
        Transaction.objects.for_organisation(organisation)
        .exclude(state="draft")
        .filter(created_at__date__gte=start, created_at__date__lte=end)
        .order_by("created_at", "pk")
    )
    if params.get("licensed_only"):
        transactions = transactions.filter(licence__isnull=False)
    return transactions


def bundle_is_empty(*, organisation, scope: str, params: dict) -> bool:
    """Whether a bundle of `scope` would hold no record (to warn before it is built)."""
    if scope == "period":
        Transaction = _transaction_model()
        return (
            Transaction is None
            or not _period_transactions(Transaction, organisation, params).exists()
        )
    if scope == "hold":
        hold = LegalHold.objects.for_organisation(organisation).filter(pk=params.get("hold"))
        return not hold.filter(items__isnull=False).exists()
    return False


@bundle_scope("hold")
def _scope_hold(*, organisation, params) -> list[BundleRecord]:
    """Everything a legal hold covers: what a MOFCOM inquiry or customs challenge asks for."""
    hold = LegalHold.objects.for_organisation(organisation).filter(pk=params.get("hold")).first()
    if hold is None:
        raise ValidationError(_("Unknown legal hold."))
    Transaction = _transaction_model()
    records = []
    items = hold.items.select_related("content_type", "document").order_by("pk")
    for item in items:
        if item.document_id:
            records.append(
                BundleRecord(
                    title=item.title,
                    kind=str(Document._meta.verbose_name),
                    sections=[_document_section([item.document])],
                    documents=[item.document],
                )
            )
            continue
        model = item.content_type.model_class()
        obj = model._base_manager.filter(pk=item.object_id).first() if model else None
        if obj is None:
            continue
        if Transaction is not None and isinstance(obj, Transaction):
            records.append(transaction_bundle_record(obj))
            continue
        documents = _documents_of(obj)
        records.append(
            BundleRecord(
                title=str(obj),
                kind=str(model._meta.verbose_name),
                sections=[
                    BundleSection(
                        title=_("Summary"),
                        facts=[
                            (_("Record"), str(obj)),
                            (_("Record type"), str(model._meta.verbose_name)),
                            (_("Created"), _fmt(item.created_at)),
                            (_("Ended"), _fmt(item.ended_at)),
                            (_("Retained until"), _fmt(item.retained_until)),
                        ],
                    ),
                    _document_section(documents),
                ],
                documents=documents,
            )
        )
    return records


def _scope_facts(*, organisation, scope: str, params: dict, records) -> list:
    """The cover's statement of what the bundle covers: scope, its bounds, what is inside."""
    labels = {
        "transaction": _("One transaction"),
        "period": _("All transactions of a period"),
        "hold": _("Everything under a legal hold"),
    }
    facts = [(_("Scope"), labels.get(scope, scope))]
    if scope == "transaction" and records:
        facts.append((_("Transaction"), records[0].title))
    if scope == "period":
        facts.append(
            (pgettext("bundle scope", "Period"), f"{params.get('start')} – {params.get('end')}")
        )
        if params.get("licensed_only"):
            facts.append((_("Limited to"), _("Licensed exports only")))
    if scope == "hold":
        hold = (
            LegalHold.objects.for_organisation(organisation).filter(pk=params.get("hold")).first()
        )
        facts.append((_("Legal hold"), _fmt(hold)))
    kinds: dict[str, int] = {}
    for record in records:
        kinds[record.kind] = kinds.get(record.kind, 0) + 1
    facts.append(
        (
            pgettext("what a bundle holds", "Contents"),
            # "Transactions: 3; Documents: 5" / "交易：3；文件：5": each item is a label and a value
            semicolon_joined(labelled(kind, count) for kind, count in kinds.items())
            or _("No records."),
        )
    )
    return facts
