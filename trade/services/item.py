"""The item master and classifications. Classifying writes a new record and supersedes the
previous one; a second person reviews it."""

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require_role
from accounts.roles import Role
from records.services import document_attach
from trade.models import (
    Classification,
    ControlListEntry,
    Item,
    MofcomConsultation,
    Transaction,
    TransactionState,
)
from trade.review_text import Sentence, say
from trade.selectors_items import (
    control_list_in_force,
    customs_catalogue_match,
    customs_catalogue_matches,
)

ITEM_FIELDS = (
    "name",
    "name_en",
    "model_number",
    "technical_parameters",
    "hs_code",
    "reference",
    "is_active",
)
DRAFTERS = {Role.COMPLIANCE_MANAGER, Role.STAFF}


def _check_unique(organisation, values, exclude_pk=None) -> None:
    items = Item.objects.for_organisation(organisation)
    if exclude_pk:
        items = items.exclude(pk=exclude_pk)
    if values.get("reference") and items.filter(reference=values["reference"]).exists():
        raise ValidationError({"reference": _("Another item already has this number.")})
    if items.filter(
        name=values.get("name", ""), model_number=values.get("model_number", "")
    ).exists():
        raise ValidationError(
            {"model_number": _("This product and model are already in the item master.")}
        )


def item_create(*, organisation, user, **values) -> Item:
    require_role(
        organisation=organisation,
        user=user,
        roles=DRAFTERS,
        message="compliance managers and staff only",
    )
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    _check_unique(organisation, values)
    item = Item(organisation=organisation, created_by=user, **values)
    item.full_clean(exclude=["organisation", "current_classification"])
    item.save()
    return item


def item_update(*, item: Item, user, **values) -> Item:
    """Change an item. A change of its technical parameters or HS code after it was classified
    keeps the classification but says so: the classifier should look again."""
    require_role(
        organisation=item.organisation,
        user=user,
        roles=DRAFTERS,
        message="compliance managers and staff only",
    )
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    merged = {f: getattr(item, f) for f in ITEM_FIELDS} | values
    _check_unique(item.organisation, merged, exclude_pk=item.pk)
    for name, value in values.items():
        setattr(item, name, value)
    item.full_clean(exclude=["organisation", "current_classification"])
    item.save()
    return item


def _entry_for(organisation, code: str) -> ControlListEntry | None:
    entries = {
        e.organisation_id: e
        for e in control_list_in_force(organisation=organisation).filter(code=code)
    }
    return entries.get(organisation.pk) or entries.get(None)


def _has_parameter_value(text: str) -> bool:
    return any(c.isdigit() for c in text)


def item_classify(
    *,
    item: Item,
    user,
    status: str,
    rationale: str,
    control_code: str = "",
    catch_all: str = Classification.CatchAll.NO_CONCERN,
    catch_all_note: str = "",
    catalogue_justification: str = "",
    _consultation: bool = False,
) -> Classification:
    """Record a new classification of the item; the previous one is superseded, not changed.
    A listed code must be an entry of the control list in force; 'not listed' needs a
    rationale, and when the item's HS code is in the customs catalogue a parameter-based
    justification too; a catch-all concern needs a note. 'Consult MOFCOM' is recorded only by
    `consultation_open`. Open transactions with the item are re-checked; an approved one whose
    item became controlled goes back to review."""
    organisation = item.organisation
    require_role(
        organisation=organisation,
        user=user,
        roles=DRAFTERS,
        message="compliance managers and staff only",
    )
    rationale = (rationale or "").strip()
    control_code = (control_code or "").strip()
    catalogue_justification = (catalogue_justification or "").strip()
    allowed = set(Classification.Status.values)
    if not _consultation:
        allowed.discard(Classification.Status.CONSULT_MOFCOM)
    if status not in allowed:
        raise ValidationError({"status": _("Choose listed or not listed.")})
    if len(rationale) < 10:
        raise ValidationError(
            {"rationale": _("Give the rationale: which parameters, compared with which entry.")}
        )
    entry = None
    if status == Classification.Status.LISTED:
        entry = _entry_for(organisation, control_code)
        if entry is None or entry.is_heading:
            raise ValidationError(
                {
                    "control_code": _("%(code)s is not an entry of the control list in force.")
                    % {"code": control_code or "—"}
                }
            )
    else:
        control_code = ""
    catalogue_entry = customs_catalogue_match(organisation=organisation, hs_code=item.hs_code)
    if status == Classification.Status.NOT_LISTED and catalogue_entry is not None:
        if len(catalogue_justification) < 20 or not _has_parameter_value(catalogue_justification):
            raise ValidationError(
                {
                    "catalogue_justification": _(
                        "HS code %(hs)s is in the customs catalogue. Say which parameter, "
                        "with its value, keeps the item below the list threshold."
                    )
                    % {"hs": catalogue_entry.hs_code}
                }
            )
    else:
        catalogue_justification = ""
    if catch_all not in Classification.CatchAll.values:
        raise ValidationError({"catch_all": _("Record the catch-all assessment.")})
    if catch_all == Classification.CatchAll.LICENCE_REQUIRED and len(catch_all_note.strip()) < 10:
        raise ValidationError({"catch_all_note": _("Say what raised the catch-all concern.")})
    with db_transaction.atomic():
        previous = item.current_classification
        classification = Classification(
            organisation=organisation,
            item=item,
            status=status,
            control_entry=entry,
            control_code=control_code,
            rationale=rationale,
            catch_all=catch_all,
            catch_all_note=catch_all_note.strip(),
            catalogue_hs_code=catalogue_entry.hs_code if catalogue_entry else "",
            catalogue_justification=catalogue_justification,
            classified_by=user,
        )
        classification.full_clean(
            exclude=["organisation", "item", "control_entry", "classified_by"]
        )
        classification.save()
        if previous is not None:
            previous.superseded_at = timezone.now()
            previous.save(update_fields=["superseded_at"])
        Item.objects.filter(pk=item.pk).update(current_classification=classification)
        item.current_classification = classification
        _recheck_transactions(item=item, user=user, previous=previous, current=classification)
    return classification


def _recheck_transactions(*, item, user, previous, current) -> None:
    from trade.services.review import transaction_refresh
    from trade.services.transaction import transaction_reopen
    from trade.stored_text import stored

    became_controlled = current.is_controlled and not (previous and previous.is_controlled)
    transactions = (
        Transaction.objects.for_organisation(item.organisation)
        .filter(lines__item=item)
        .exclude(state=TransactionState.REJECTED)
        .filter(shipped_on__isnull=True)
        .distinct()
    )
    for transaction in transactions:
        if became_controlled:
            transaction_reopen(
                transaction=transaction,
                user=user,
                reason=stored("classified_again", item=str(item), classification=str(current)),
            )
        transaction_refresh(transaction=transaction)


def classification_review(*, classification: Classification, user) -> Classification:
    """A compliance manager other than the classifier confirms the classification."""
    require_role(
        organisation=classification.organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER},
        message="compliance managers only",
    )
    if classification.superseded_at is not None:
        raise ValidationError(_("This classification has been superseded."))
    if classification.reviewed_at is not None:
        raise ValidationError(_("This classification has already been reviewed."))
    if classification.classified_by_id == user.pk:
        raise ValidationError(_("The classifier cannot review their own classification."))
    classification.reviewed_by = user
    classification.reviewed_at = timezone.now()
    with db_transaction.atomic():
        classification.save(update_fields=["reviewed_by", "reviewed_at"])
        from trade.services.review import transaction_refresh

        for transaction in (
            Transaction.objects.for_organisation(classification.organisation)
            .filter(lines__item_id=classification.item_id, shipped_on__isnull=True)
            .exclude(state=TransactionState.REJECTED)
            .distinct()
        ):
            transaction_refresh(transaction=transaction)
    return classification


def _needs_justification(item: Item) -> bool:
    classification = item.current_classification
    return (
        classification is not None
        and classification.status == Classification.Status.NOT_LISTED
        and not classification.catalogue_justification
    )


def _catalogue_problem(item: Item, matches: dict | None) -> Sentence | None:
    if not _needs_justification(item):
        return None
    if matches is None:
        entry = customs_catalogue_match(organisation=item.organisation, hs_code=item.hs_code)
    else:
        entry = matches.get(item.hs_code)
    if entry is None:
        return None
    return say(
        "HS code %(hs)s of %(item)s is in the customs catalogue, but the item is classified as "
        "not listed without a parameter-based justification. Classify it again and give one."
    ) % {"hs": entry.hs_code, "item": item}


def item_catalogue_warning(*, item: Item, matches: dict | None = None) -> str:
    """Why the item needs attention under the customs catalogue, or "" when it does not: its HS
    code is in the catalogue but its classification says not listed without a parameter-based
    justification (the first thing customs challenges). `matches` (from
    `customs_catalogue_matches`) saves the look-up when many items are checked."""
    problem = _catalogue_problem(item, matches)
    return "" if problem is None else str(problem)


def items_export_problems(*, items, organisation=None) -> dict[int, list[Sentence]]:
    """{item pk: [what keeps it from being approved for export]} for the items that have a
    problem: a classification that awaits MOFCOM's answer (《两用物项出口管制条例》第十四条第四
    款), and a 'not listed' item whose HS code is in the customs catalogue without a
    justification. One catalogue look-up for all the items. Each message is a review text (a
    code and its parameters), so the checklist can freeze it and show it in any language."""
    items = list(items)
    matches = {}
    if items:
        matches = customs_catalogue_matches(
            organisation=organisation or items[0].organisation,
            hs_codes=[item.hs_code for item in items if _needs_justification(item)],
        )
    problems: dict = {}
    for item in items:
        classification = item.current_classification
        if classification is not None and classification.awaits_mofcom:
            problems.setdefault(item.pk, []).append(
                say(
                    "%(item)s awaits MOFCOM's answer to a classification enquiry; record the "
                    "answer before the export is approved."
                )
                % {"item": item}
            )
        catalogue = _catalogue_problem(item, matches)
        if catalogue is not None:
            problems.setdefault(item.pk, []).append(catalogue)
    return problems


def items_export_blockers(*, items) -> list[str]:
    """What keeps these items from being approved for export, one message per problem (see
    `items_export_problems`)."""
    by_item = items_export_problems(items=items)
    return [str(message) for messages in by_item.values() for message in messages]


def classification_approval_check(*, transaction: Transaction) -> None:
    """Raise ValidationError when an item of the transaction may not be approved for export
    (see `items_export_blockers`). Called by `transaction_approve`; changes nothing."""
    items = Item.objects.filter(pk__in=transaction.lines.values("item_id")).select_related(
        "current_classification", "organisation"
    )
    problems = items_export_blockers(items=items)
    if problems:
        raise ValidationError(problems)


def consultation_open(
    *, item: Item, user, asked_on, question: str, unsure_reason: str
) -> MofcomConsultation:
    """Record a classification enquiry to MOFCOM and classify the item 'consult MOFCOM', which
    blocks its export approval until `consultation_settle`. The enquiry must give the item's
    performance parameters and main uses and why it cannot be classified (第十四条第四款)."""
    question = (question or "").strip()
    unsure_reason = (unsure_reason or "").strip()
    errors = {}
    if len(question) < 10:
        errors["question"] = _("Give the item's performance parameters and main uses.")
    if len(unsure_reason) < 10:
        errors["unsure_reason"] = _("Say why the classification cannot be determined.")
    if asked_on is None:
        errors["asked_on"] = _("Enter the date of the enquiry.")
    elif asked_on > timezone.localdate():
        errors["asked_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if item.consultations.filter(settled_at__isnull=True).exists():
        raise ValidationError(_("An enquiry about this item is already waiting for an answer."))
    with db_transaction.atomic():
        previous = item.current_classification
        classification = item_classify(
            item=item,
            user=user,
            status=Classification.Status.CONSULT_MOFCOM,
            rationale=unsure_reason,
            catch_all=previous.catch_all if previous else Classification.CatchAll.NO_CONCERN,
            catch_all_note=previous.catch_all_note if previous else "",
            _consultation=True,
        )
        return MofcomConsultation.objects.create(
            organisation=item.organisation,
            item=item,
            classification=classification,
            asked_on=asked_on,
            question=question,
            unsure_reason=unsure_reason,
            asked_by=user,
        )


def consultation_settle(
    *,
    consultation: MofcomConsultation,
    user,
    answered_on,
    answer: str,
    outcome: str,
    document,
    control_code: str = "",
    catalogue_justification: str = "",
) -> Classification:
    """Record MOFCOM's answer with its document and classify the item as the answer says (a
    new classification, which a second person reviews as usual). All or nothing."""
    if consultation.is_settled:
        raise ValidationError(_("This enquiry has already been answered."))
    require_role(
        organisation=consultation.organisation,
        user=user,
        roles=DRAFTERS,
        message="compliance managers and staff only",
    )
    answer = (answer or "").strip()
    errors = {}
    if answered_on is None:
        errors["answered_on"] = _("Enter the date of MOFCOM's answer.")
    elif answered_on < consultation.asked_on or answered_on > timezone.localdate():
        errors["answered_on"] = _("The answer date must lie between the enquiry and today.")
    if len(answer) < 5:
        errors["answer"] = _("Record what MOFCOM answered.")
    if outcome not in MofcomConsultation.Outcome.values:
        errors["outcome"] = _("Choose listed or not listed.")
    if document is None:
        errors["document"] = _("Attach MOFCOM's answer.")
    if errors:
        raise ValidationError(errors)
    item = consultation.item
    rationale = _("MOFCOM's answer of %(date)s: %(answer)s") % {
        "date": answered_on.isoformat(),
        "answer": answer,
    }
    previous = item.current_classification
    with db_transaction.atomic():
        classification = item_classify(
            item=item,
            user=user,
            status=outcome,
            control_code=control_code if outcome == MofcomConsultation.Outcome.LISTED else "",
            rationale=rationale,
            catch_all=previous.catch_all if previous else Classification.CatchAll.NO_CONCERN,
            catch_all_note=previous.catch_all_note if previous else "",
            catalogue_justification=catalogue_justification,
        )
        attached = document_attach(
            organisation=consultation.organisation,
            user=user,
            target=consultation,
            upload=document,
            description=_("MOFCOM's answer"),
        )
        consultation.answered_on = answered_on
        consultation.answer = answer
        consultation.outcome = outcome
        consultation.control_code = classification.control_code
        consultation.answer_document = attached
        consultation.settled_by = user
        consultation.settled_at = timezone.now()
        consultation.save()
    return classification
