"""The five checks of a transaction's review, with their problems and where to fix them: 1. every
item classified; 2. every party screened on the current list versions and every hit decided;
3. the red-flag questionnaire answered, blocking flags resolved; 4. a valid end-user certificate
where an item is controlled; 5. the licence decision recorded and consistent."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from core.i18n import parenthesised
from reference.models import RedFlag
from trade.models import (
    LicenceDecision,
    PartyRole,
)
from trade.models.licence import EXPIRY_WARNING_DAYS, Licence
from trade.review_text import say
from trade.services.item import items_export_problems
from trade.services.licence_path import (
    NEEDS_LICENCE,
    ctx_fingerprint,
    path_of,
)
from trade.services.licence_path import Outcome as PathOutcome

from .context import Check, Problem, ReviewContext


def _check_classification(ctx: ReviewContext) -> Check:
    check = Check("classification", 1, _("Every item classified"))
    if not ctx.lines:
        check.problems.append(
            Problem(
                say("The transaction has no items."), ctx.transaction.get_absolute_url() + "#items"
            )
        )
    for line in ctx.lines:
        classification = line.item.current_classification
        url = reverse("transactions:item_classify", args=[line.item_id])
        if classification is None:
            check.problems.append(
                Problem(say("%(item)s is not classified.") % {"item": line.item}, url)
            )
        elif classification.reviewed_at is None:
            check.problems.append(
                Problem(
                    say("The classification of %(item)s has not been reviewed by a second person.")
                    % {"item": line.item},
                    line.item.get_absolute_url(),
                    blocking=False,
                )
            )
    # What approval refuses (an enquiry to MOFCOM awaiting its answer, a catalogue HS code on
    # an unlisted item without a justification) is listed here too, where it can be fixed.
    items = {line.item_id: line.item for line in ctx.lines if line.item.current_classification}
    organisation = ctx.transaction.organisation
    blockers = items_export_problems(items=items.values(), organisation=organisation)
    for item_pk, messages in blockers.items():
        item = items[item_pk]
        url = (
            item.get_absolute_url()
            if item.current_classification.awaits_mofcom
            else reverse("transactions:item_classify", args=[item_pk])
        )
        check.problems.extend(Problem(message, url) for message in messages)
    if ctx.is_controlled:
        check.notes.append(
            say("Controlled: %(items)s.")
            % {
                "items": [
                    f"{line.item}{parenthesised(line.item.current_classification)}"
                    for line in ctx.controlled_lines
                ]
            }
        )
    return check


def _check_screening(ctx: ReviewContext) -> Check:
    check = Check("screening", 2, _("Every party screened on the current lists, every hit decided"))
    transaction = ctx.transaction
    if not ctx.parties_in(PartyRole.END_USER):
        check.problems.append(
            Problem(say("Name the end user."), transaction.get_absolute_url() + "#parties")
        )
    if not ctx.current_version_ids:
        check.problems.append(
            Problem(
                say("No screening list has been imported yet."), reverse("screening:list_index")
            )
        )
    for party in ctx.parties:
        name = party.link.party
        screen_url = reverse("transactions:transaction_screen", args=[transaction.pk])
        if party.screening is None:
            check.problems.append(
                Problem(say("%(party)s has not been screened.") % {"party": name}, screen_url)
            )
        elif party.stale_lists:
            check.problems.append(
                Problem(
                    say("%(party)s was screened before %(lists)s.")
                    % {"party": name, "lists": list(party.stale_lists)},
                    screen_url,
                )
            )
        for hit in party.open_hits:
            check.problems.append(
                Problem(
                    say("%(party)s: hit %(name)s on %(list)s (score %(score).2f) needs a decision.")
                    % {
                        "party": name,
                        "name": hit.matched_name,
                        "list": hit.list_code,
                        "score": hit.score,
                    },
                    reverse("screening:screening_detail", args=[hit.screening_id])
                    + f"#hit-{hit.pk}",
                )
            )
        for hit in party.true_matches:
            check.notes.append(
                say("%(party)s is a confirmed match for %(name)s on %(list)s: see the red flags.")
                % {"party": name, "name": hit.matched_name, "list": hit.list_code}
            )
    return check


def _check_red_flags(ctx: ReviewContext) -> Check:
    check = Check("red_flags", 3, _("Red-flag questions answered, blocking flags resolved"))
    url = ctx.transaction.get_absolute_url() + "#red-flags"
    if ctx.framework is None:
        check.problems.append(Problem(say("The reference library is not loaded."), url))
        return check
    unanswered = [f for f in ctx.red_flags if not getattr(ctx.answers.get(f.pk), "answer", "")]
    if unanswered:
        check.problems.append(
            Problem(
                say("%(count)d of %(total)d questions are not answered.")
                % {"count": len(unanswered), "total": len(ctx.red_flags)},
                url,
            )
        )
    for flag in ctx.red_flags:
        answer = ctx.answers.get(flag.pk)
        if answer is None or not answer.is_raised:
            continue
        # The flag and its answer, shown together: "RF-3 (Unknown)".
        text = {"flag": flag.ref_id, "answer": answer.answer}
        if flag.severity == RedFlag.Severity.BLOCKING and not answer.is_resolved:
            check.problems.append(
                Problem(
                    say("%(flag)s is a blocking red flag: a compliance manager must resolve it.")
                    % text,
                    ctx.transaction.get_absolute_url() + f"#flag-{flag.ref_id}",
                )
            )
        elif flag.severity != RedFlag.Severity.BLOCKING:
            check.problems.append(
                Problem(
                    say("%(flag)s raised (%(severity)s): explain in the note how it was cleared.")
                    % {**text, "severity": flag.severity},
                    ctx.transaction.get_absolute_url() + f"#flag-{flag.ref_id}",
                    blocking=False,
                )
            )
    return check


def _check_euc(ctx: ReviewContext) -> Check:
    check = Check("euc", 4, _("End-user certificate present and valid"))
    transaction = ctx.transaction
    url = transaction.get_absolute_url() + "#euc"
    if not ctx.is_controlled:
        check.notes.append(say("Not required: no controlled item."))
        return check
    if not ctx.euc_documents:
        check.problems.append(Problem(say("Attach the end-user/end-use certificate."), url))
    if not transaction.euc_issuer:
        check.problems.append(Problem(say("Record who issued the certificate."), url))
    if transaction.euc_valid_until is None:
        check.problems.append(Problem(say("Record until when the certificate is valid."), url))
    elif transaction.euc_valid_until < ctx.today:
        check.problems.append(
            Problem(
                say("The certificate expired on %(date)s.")
                % {"date": transaction.euc_valid_until.isoformat()},
                url,
            )
        )
    elif (
        transaction.planned_shipment_date
        and transaction.euc_valid_until < transaction.planned_shipment_date
    ):
        check.problems.append(
            Problem(
                say("The certificate expires before the planned shipment."), url, blocking=False
            )
        )
    return check


def licence_needs(ctx: ReviewContext, licence=None) -> tuple[Decimal, Decimal, set]:
    """Quantity, value and currencies of the controlled lines a licence covers."""
    item_ids = (
        ctx.licence_item_ids if licence is None else set(licence.items.values_list("pk", flat=True))
    )
    lines = [line for line in ctx.controlled_lines if line.item_id in item_ids]
    return (
        sum((line.quantity for line in lines), Decimal(0)),
        sum((line.value for line in lines), Decimal(0)),
        {line.currency for line in lines},
    )


def _check_paths(ctx: ReviewContext, check: Check) -> set:
    """The licensing decision path of every line: walked on the current key data, confirmed by
    a compliance manager, and not ending in a stop. Returns the outcomes of the lines."""
    outcomes = set()
    for line in ctx.lines:
        path = path_of(line)
        url = reverse("transactions:licence_path", args=[ctx.transaction.pk, line.pk])
        if path is None:
            check.problems.append(
                Problem(
                    say("Walk the licensing decision path for %(item)s.") % {"item": line.item}, url
                )
            )
            continue
        outcomes.add(path.outcome)
        if path.fingerprint != ctx_fingerprint(ctx, line):
            check.problems.append(
                Problem(
                    say(
                        "The key data of %(item)s changed since its path was walked: walk it again."
                    )
                    % {"item": line.item},
                    url,
                )
            )
        elif not path.is_confirmed:
            check.problems.append(
                Problem(
                    say("A compliance manager confirms the path of %(item)s.")
                    % {"item": line.item},
                    url,
                )
            )
        if path.outcome == PathOutcome.PROHIBITED:
            check.problems.append(
                Problem(
                    say("%(item)s: the export is prohibited (%(basis)s).")
                    % {"item": line.item, "basis": "、".join(path.basis[:2])},
                    url,
                )
            )
        elif path.outcome == PathOutcome.CONSULT_MOFCOM:
            check.problems.append(
                Problem(
                    say("%(item)s: consult MOFCOM first and record its answer.")
                    % {"item": line.item},
                    url,
                )
            )
        elif (
            path.outcome == PathOutcome.EXPORT_VOUCHER
            and ctx.transaction.licence is not None
            and ctx.transaction.licence.kind != Licence.Kind.VOUCHER
        ):
            check.problems.append(
                Problem(
                    say("%(item)s ships on an export voucher: choose the voucher, not a licence.")
                    % {"item": line.item},
                    ctx.transaction.get_absolute_url() + "#licence",
                )
            )
        elif (
            path.outcome in NEEDS_LICENCE - {PathOutcome.EXPORT_VOUCHER}
            and ctx.transaction.licence is not None
            and ctx.transaction.licence.kind == Licence.Kind.VOUCHER
        ):
            check.problems.append(
                Problem(
                    say("%(item)s needs a licence: an export voucher does not cover it.")
                    % {"item": line.item},
                    ctx.transaction.get_absolute_url() + "#licence",
                )
            )
    return outcomes


def _check_licence(ctx: ReviewContext) -> Check:
    check = Check("licence", 5, _("Licence decision recorded"))
    transaction = ctx.transaction
    url = transaction.get_absolute_url() + "#licence"
    outcomes = _check_paths(ctx, check)
    decision = transaction.licence_decision
    if decision == LicenceDecision.NOT_CONTROLLED and outcomes & NEEDS_LICENCE:
        check.problems.append(
            Problem(
                say("A line's path needs a licence: 'not controlled' cannot be the decision."), url
            )
        )
    if not decision:
        check.problems.append(Problem(say("Record the licence decision."), url))
        return check
    if decision == LicenceDecision.NOT_CONTROLLED:
        if ctx.is_controlled:
            check.problems.append(
                Problem(say("An item is controlled: 'not controlled' cannot be the decision."), url)
            )
        return check
    if decision in (LicenceDecision.SINGLE_REQUIRED, LicenceDecision.GENERAL_REQUIRED):
        check.problems.append(
            Problem(
                say("A licence is required: apply to MOFCOM, then record the licence granted."),
                reverse("transactions:licence_create"),
            )
        )
        return check
    licence = transaction.licence
    if licence is None:
        check.problems.append(Problem(say("Choose the licence that covers this transaction."), url))
        return check
    licence_url = licence.get_absolute_url()
    if not ctx.is_controlled:
        check.problems.append(
            Problem(say("No item is controlled: no licence is needed."), url, blocking=False)
        )
    if licence.revoked_at:
        check.problems.append(
            Problem(say("Licence %(number)s was revoked.") % {"number": licence}, licence_url)
        )
    elif not licence.is_valid_on(ctx.today):
        check.problems.append(
            Problem(
                say("Licence %(number)s is valid from %(start)s until %(end)s only.")
                % {
                    "number": licence,
                    "start": licence.valid_from.isoformat(),
                    "end": licence.valid_until.isoformat(),
                },
                licence_url,
            )
        )
    elif licence.days_left <= EXPIRY_WARNING_DAYS:
        check.problems.append(
            Problem(
                say("Licence %(number)s expires in %(days)d days.")
                % {"number": licence, "days": licence.days_left},
                licence_url,
                blocking=False,
            )
        )
    uncovered = [
        line.item for line in ctx.controlled_lines if line.item_id not in ctx.licence_item_ids
    ]
    for item in uncovered:
        check.problems.append(
            Problem(
                say("Licence %(number)s does not cover %(item)s.")
                % {"number": licence, "item": item},
                licence_url,
            )
        )
    destinations = {c.code for c in licence.destinations}
    if destinations and transaction.destination_country.code not in destinations:
        check.problems.append(
            Problem(
                say("Licence %(number)s does not cover the destination %(country)s.")
                % {"number": licence, "country": transaction.destination_country.code},
                licence_url,
            )
        )
    if ctx.licence_end_user_ids:
        end_users = {p.link.party_id for p in ctx.parties_in(PartyRole.END_USER)}
        if not end_users or not end_users <= ctx.licence_end_user_ids:
            check.problems.append(
                Problem(
                    say("Licence %(number)s does not name this end user.") % {"number": licence},
                    licence_url,
                )
            )
    quantity, value, currencies = licence_needs(ctx)
    drawn_quantity, drawn_value = ctx.licence_drawn
    if currencies - {licence.currency}:
        check.problems.append(
            Problem(
                say("The licence is in %(currency)s; the covered items are priced in %(other)s.")
                % {"currency": licence.currency, "other": sorted(currencies)},
                url,
            )
        )
    if licence.quantity_limit is not None and drawn_quantity + quantity > licence.quantity_limit:
        check.problems.append(
            Problem(
                say("Licence %(number)s has %(left)s left; this transaction needs %(need)s.")
                % {
                    "number": licence,
                    "left": f"{licence.quantity_limit - drawn_quantity:f}",
                    "need": f"{quantity:f}",
                },
                licence_url,
            )
        )
    if licence.value_limit is not None and drawn_value + value > licence.value_limit:
        check.problems.append(
            Problem(
                say(
                    "Licence %(number)s has %(left)s %(currency)s of value left; "
                    "this transaction needs %(need)s."
                )
                % {
                    "number": licence,
                    "left": f"{licence.value_limit - drawn_value:f}",
                    "currency": licence.currency,
                    "need": f"{value:f}",
                },
                licence_url,
            )
        )
    return check


def review_checklist(ctx: ReviewContext) -> list[Check]:
    return [
        _check_classification(ctx),
        _check_screening(ctx),
        _check_red_flags(ctx),
        _check_euc(ctx),
        _check_licence(ctx),
    ]
