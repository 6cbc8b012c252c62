"""The item master and classifications. Classifying writes a new record and supersedes the
previous one; a second person reviews it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.roles import Role
from trade.models import Classification, ControlListEntry, Item, Transaction, TransactionState

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


def _role(organisation, user):
    membership = Membership.objects.active().filter(organisation=organisation, user=user).first()
    return membership.role if membership else None


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
    if _role(organisation, user) not in DRAFTERS:
        raise PermissionDenied("compliance managers and staff only")
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
    if _role(item.organisation, user) not in DRAFTERS:
        raise PermissionDenied("compliance managers and staff only")
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
        for e in ControlListEntry.objects.visible_to(organisation).filter(code=code, is_active=True)
    }
    return entries.get(organisation.pk) or entries.get(None)


def item_classify(
    *,
    item: Item,
    user,
    status: str,
    rationale: str,
    control_code: str = "",
    catch_all: str = Classification.CatchAll.NO_CONCERN,
    catch_all_note: str = "",
) -> Classification:
    """Record a new classification of the item; the previous one is superseded, not changed.
    A listed code must be an entry of the control list in force; 'not listed' needs a
    rationale; a catch-all concern needs a note. Open transactions with the item are
    re-checked; an approved one whose item became controlled goes back to review."""
    organisation = item.organisation
    if _role(organisation, user) not in DRAFTERS:
        raise PermissionDenied("compliance managers and staff only")
    rationale = (rationale or "").strip()
    control_code = (control_code or "").strip()
    if status not in Classification.Status.values:
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
    if _role(classification.organisation, user) != Role.COMPLIANCE_MANAGER:
        raise PermissionDenied("compliance managers only")
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
