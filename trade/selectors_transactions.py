"""Scoped reads for transactions, items, the control list and licences."""

import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from screening.models import Screening
from trade import review_text
from trade.models import (
    Approval,
    Classification,
    Item,
    Licence,
    PostShipmentDuty,
    RedFlagAnswer,
    Transaction,
    TransactionItem,
    TransactionParty,
    TransactionState,
)
from trade.models.licence import EXPIRY_WARNING_DAYS


def transaction_queue(*, organisation):
    """The review queue: only the denormalised columns the table shows (no per-row queries)."""
    return (
        Transaction.objects.for_organisation(organisation)
        .select_related("created_by")
        .only(
            "pk",
            "reference",
            "kind",
            "stage",
            "destination_country",
            "state",
            "risk_level",
            "checks_open",
            "end_user_name",
            "total_value",
            "currency",
            "created_at",
            "submitted_at",
            "state_changed_at",
            "source",
            "created_by__email",
            "created_by__full_name",
        )
    )


def transaction_statistics(*, organisation) -> dict:
    """Counts by state, the oldest open review and the licences about to expire (3 queries)."""
    by_state = dict(
        Transaction.objects.for_organisation(organisation)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    oldest = (
        Transaction.objects.for_organisation(organisation)
        .filter(state=TransactionState.IN_REVIEW)
        .aggregate(oldest=Min("submitted_at"))["oldest"]
    )
    today = timezone.localdate()
    expiring = list(
        Licence.objects.for_organisation(organisation)
        .filter(
            revoked_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
        )
        .order_by("valid_until")[:5]
    )
    return {
        "by_state": [
            (state, label, by_state.get(state, 0)) for state, label in TransactionState.choices
        ],
        "total": sum(by_state.values()),
        "oldest_in_review_days": (timezone.now() - oldest).days if oldest else None,
        "expiring_licences": expiring,
    }


def transaction_get(*, organisation, pk) -> Transaction:
    return get_object_or_404(
        Transaction.objects.for_organisation(organisation).select_related(
            "organisation", "licence", "created_by", "sales_approved_by"
        ),
        pk=pk,
    )


def transaction_by_reference(*, organisation, reference: str) -> Transaction | None:
    """The organisation's transaction with this (the ERP's) reference, None when there is none."""
    return (
        Transaction.objects.for_organisation(organisation)
        .filter(reference=reference)
        .select_related("licence", "organisation")
        .first()
    )


def transaction_line_get(*, organisation, transaction_pk, pk, related=("item",)) -> TransactionItem:
    """A line of the organisation's transaction `transaction_pk`, 404 otherwise."""
    return get_object_or_404(
        TransactionItem.objects.for_organisation(organisation).select_related(
            "transaction", *related
        ),
        pk=pk,
        transaction_id=transaction_pk,
    )


def transaction_party_get(*, organisation, transaction_pk, pk) -> TransactionParty:
    """A party's link to the organisation's transaction `transaction_pk`, 404 otherwise."""
    return get_object_or_404(
        TransactionParty.objects.for_organisation(organisation).select_related(
            "transaction", "party"
        ),
        pk=pk,
        transaction_id=transaction_pk,
    )


def red_flag_answer_get(*, organisation, transaction_pk, pk) -> RedFlagAnswer:
    return get_object_or_404(
        RedFlagAnswer.objects.for_organisation(organisation).select_related(
            "transaction", "red_flag"
        ),
        pk=pk,
        transaction_id=transaction_pk,
    )


def post_shipment_duty_get(*, organisation, transaction_pk, pk) -> PostShipmentDuty:
    return get_object_or_404(
        PostShipmentDuty.objects.for_organisation(organisation),
        pk=pk,
        transaction_id=transaction_pk,
    )


def transactions_with_overdue_reports(queryset: QuerySet[Transaction]) -> QuerySet[Transaction]:
    """The transactions of `queryset` with a report after shipment past its due date."""
    overdue = PostShipmentDuty.objects.filter(
        transaction=OuterRef("pk"), done_at__isnull=True, due_on__lt=timezone.localdate()
    )
    return queryset.filter(Exists(overdue))


def approval_current(*, transaction: Transaction) -> Approval | None:
    """The approval in force (not superseded by an amendment), None before approval."""
    return (
        Approval.objects.filter(transaction=transaction, superseded_at__isnull=True)
        .select_related("approved_by")
        .first()
    )


def approval_latest(*, transaction: Transaction) -> Approval | None:
    """The most recent approval, superseded or not (the review record prints it)."""
    return (
        Approval.objects.filter(transaction=transaction)
        .select_related("approved_by")
        .order_by("-approved_at")
        .first()
    )


def item_list(*, organisation):
    return Item.objects.for_organisation(organisation).select_related("current_classification")


def item_get(*, organisation, pk) -> Item:
    return get_object_or_404(
        Item.objects.for_organisation(organisation).select_related(
            "current_classification__classified_by", "current_classification__reviewed_by"
        ),
        pk=pk,
    )


def classification_get(*, organisation, item: Item, pk) -> Classification:
    """A classification of the organisation's item, 404 otherwise."""
    return get_object_or_404(
        Classification.objects.for_organisation(organisation), pk=pk, item=item
    )


def item_classifications(*, item: Item):
    return (
        Classification.objects.filter(item=item)
        .select_related("classified_by", "reviewed_by", "control_entry")
        .order_by("-classified_at", "-pk")
    )


def control_list_search(*, organisation, query: str = "", category: str = ""):
    from trade.selectors_items import control_list_in_force

    entries = control_list_in_force(organisation=organisation)
    if category:
        entries = entries.filter(category=category)
    return entries.search(query).order_by("code", "organisation_id")


def licence_list(*, organisation):
    return (
        Licence.objects.for_organisation(organisation)
        .annotate(
            transaction_count=Count("drawdowns", filter=Q(drawdowns__released_at__isnull=True))
        )
        .order_by("-valid_until", "number")
    )


def licence_get(*, organisation, pk) -> Licence:
    return get_object_or_404(Licence.objects.for_organisation(organisation), pk=pk)


# --- the approval's frozen evidence, and what came after it ------------------------------------


def _parse_moment(value):
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def approval_amendments(approval) -> list[dict]:
    """The changes a rule allowed after the approval without a new review, rendered in the
    reader's language."""
    from trade.stored_text import render

    if approval is None:
        return []
    return [
        {
            "text": render(entry.get("code", ""), entry.get("params"), entry.get("text", "")),
            "by": entry.get("by", ""),
            "at": _parse_moment(entry.get("at")),
        }
        for entry in approval.amendments or []
    ]


def _frozen_note(row: dict) -> str:
    """A frozen red-flag note in the reader's language: the system's reason from its code (or
    recognised when frozen as a sentence before codes), a person's note as written."""
    if row.get("note_code"):
        return review_text.render(row["note_code"], row.get("note_params"), row.get("note", ""))
    if row.get("prefilled"):
        return review_text.shown(row.get("note", ""))
    return row.get("note", "")


def approval_frozen_record(*, approval, checks, red_flags) -> dict:
    """What the approval relied on, as frozen in its evidence, for the review record: the
    checklist, the parties and their screenings, the list versions, the items, the red-flag
    answers and the licence. `checks` (the live checklist) and `red_flags` (the framework's
    questions) give the titles and question texts in the reader's language."""
    from trade.models import Answer, LicenceDecision, PartyRole

    evidence = approval.evidence or {}
    titles = {c.code: (c.number, c.title) for c in checks}
    questions = {flag.ref_id: flag for flag in red_flags}
    roles = dict(PartyRole.choices)
    answers = dict(Answer.choices)
    licence = evidence.get("licence") or {}
    return {
        "checklist": [
            {
                "number": titles.get(row.get("code"), (None, row.get("code")))[0],
                "title": titles.get(row.get("code"), (None, row.get("code")))[1],
                "passed": row.get("passed"),
                # Frozen as codes and parameters, read in the reader's language.
                "problems": [review_text.shown(p) for p in row.get("problems", [])],
                "notes": [review_text.shown(n) for n in row.get("notes", [])],
            }
            for row in evidence.get("checklist", [])
        ],
        "parties": [
            {
                "role": roles.get(row.get("role"), row.get("role")),
                "name": row.get("name", ""),
                "screening_id": row.get("screening_id"),
                "screened_at": _parse_moment(row.get("screened_at")),
                "true_matches": [h for h in row.get("hits", []) if h["decision"] == "true_match"],
                "false_positives": [
                    h for h in row.get("hits", []) if h["decision"] == "false_positive"
                ],
            }
            for row in evidence.get("parties", [])
        ],
        "list_versions": evidence.get("list_versions", []),
        "items": evidence.get("items", []),
        "red_flags": [
            {
                "flag": questions.get(row.get("flag")),
                "ref_id": row.get("flag"),
                "answer": answers.get(row.get("answer"), "—") if row.get("answer") else "—",
                "note": _frozen_note(row),
                "prefilled": row.get("prefilled"),
                "resolution": row.get("resolution", ""),
                "resolved_by": row.get("resolved_by", ""),
            }
            for row in (evidence.get("red_flags") or {}).get("answers", [])
        ],
        "licence": {
            "decision": dict(LicenceDecision.choices).get(licence.get("decision") or "", "—"),
            "number": licence.get("number", ""),
            "drawdown": licence.get("drawdown"),
        },
    }


def after_approval(*, transaction, approval) -> dict:
    """Everything recorded after the approval: screenings of the transaction's parties, the
    review-trail events and the changes allowed without a new review."""
    party_ids = set(transaction.parties.values_list("party_id", flat=True))
    party_ids |= {row.get("party_id") for row in (approval.evidence or {}).get("parties", [])} - {
        None
    }
    return {
        "screenings": list(
            Screening.objects.filter(
                organisation_id=transaction.organisation_id,
                party_id__in=party_ids,
                created_at__gt=approval.approved_at,
            )
            .select_related("party")
            .order_by("created_at", "pk")
        ),
        "events": list(
            transaction.events.filter(created_at__gt=approval.approved_at)
            .select_related("actor")
            .order_by("created_at", "pk")
        ),
        "amendments": approval_amendments(approval),
    }
