"""Evaluating one line's path from the answers to its questions: the outcome with its
legal basis. Pure: no writes, no queries beyond what it is given."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from trade.licensing_reference import LicensingReference, current_licensing_reference
from trade.models import (
    Classification,
    Licence,
    PartyRole,
    Transaction,
    TransactionItem,
)

from .common import Outcome


@dataclass
class PathResult:
    outcome: str = ""
    findings: list = field(default_factory=list)
    basis: list = field(default_factory=list)
    licence: Licence | None = None
    errors: dict = field(default_factory=dict)

    def find(self, finding: str, /, **params) -> None:
        self.findings.append({"code": finding, "params": params})

    def cite(self, *citations) -> None:
        for citation in citations:
            if citation not in self.basis:
                self.basis.append(citation)


def _fits(licence: Licence, line, transaction, end_user_ids: set, today) -> bool:
    if not licence.is_valid_on(today) or licence.is_suspended:
        return False
    if line.item_id not in {item.pk for item in licence.items.all()}:
        return False
    destinations = {c.code for c in licence.destinations}
    if destinations and transaction.destination_country.code not in destinations:
        return False
    named = {party.pk for party in licence.end_users.all()}
    return not named or (bool(end_user_ids) and end_user_ids <= named)


def licence_path_evaluate(
    *,
    transaction: Transaction,
    line: TransactionItem,
    answers: dict,
    voucher_case: str = "",
    control_list_matches: Sequence[str] = (),
    held_licences: Sequence[Licence] = (),
    today=None,
    reference: LicensingReference | None = None,
) -> PathResult:
    """Walk the four steps for one line. `control_list_matches` are party names screening
    confirmed on MOFCOM's control list; `held_licences` the organisation's general licences and
    export vouchers (with items and end users prefetched). Missing answers are in
    `result.errors` by question code; the outcome is then empty."""
    reference = reference or current_licensing_reference()
    today = today or timezone.localdate()
    result = PathResult()
    destination = transaction.destination_country.code
    countries = [destination, *[c.code for c in transaction.transit_countries]]

    def answer(code: str) -> str:
        question = reference.question(code)
        value = answers.get(code, "")
        if question is None:
            return ""
        if value not in question.answers:
            result.errors[code] = _("Answer this question.")
            return ""
        return value

    # 1. The control list.
    classification = line.item.current_classification
    listed = consult = False
    if classification is None:
        raise ValidationError(_("Classify %(item)s before walking its path.") % {"item": line.item})
    if classification.status == Classification.Status.LISTED:
        listed = True
        result.find("listed", code=classification.control_code)
    elif classification.status == Classification.Status.NOT_LISTED:
        result.find("not_listed")
    else:  # the classification's own "consult MOFCOM" status
        consult = True
        result.find("classification_consult")
    temporary = answer("temporary_control")
    if temporary == "yes":
        listed = True
        result.find("temporary_control")
        question = reference.question("temporary_control")
        result.cite(*(question.basis[:1] if question else []))
    elif temporary == "unsure":
        consult = True
        result.find("temporary_control_unsure")

    # 2. The catch-all, for a line not listed.
    catch_all = False
    if not listed and not consult:
        if classification.catch_all == Classification.CatchAll.LICENCE_REQUIRED:
            catch_all = True
            result.find("catch_all_classification")
        for question in reference.questions_in("catch_all"):
            if answer(question.code) == "yes":
                catch_all = True
                result.find("catch_all_yes", question=question.code)
                result.cite(*question.basis)
        if not catch_all:
            result.find("catch_all_none")
    controlled = listed or catch_all

    # 3. Destination, end user, end use.
    prohibited = watch = False
    for measure in reference.measures_for(countries):
        if controlled:
            prohibited = True
            result.find("destination_measure", measure=measure.code)
        else:
            consult = True
            result.find("destination_measure_unlisted", measure=measure.code)
        result.cite(*measure.basis)
    for question in reference.questions_in("restrictions"):
        if not question.applies_to(destination):
            continue
        if question.code == "party_control_list" and control_list_matches:
            prohibited = True
            for name in control_list_matches:
                result.find("party_control_list_screening", party=name)
            result.cite(*question.basis)
            continue
        if answer(question.code) != "yes":
            continue
        result.cite(*question.basis)
        if question.code == "party_watch_list":
            watch = True
            result.find("party_watch_list")
        elif question.code == "party_control_list":
            prohibited = True
            result.find("party_control_list")
        else:  # a measure on this destination's users or uses (military_end_use)
            prohibited = True
            result.find(question.code)

    if result.errors:
        return result

    # 4. The outcome.
    end_user_ids = {
        link.party_id for link in transaction.parties.all() if link.role == PartyRole.END_USER
    }
    case = reference.voucher_case(voucher_case) if voucher_case else None
    if prohibited:
        result.outcome = Outcome.PROHIBITED
    elif consult:
        result.outcome = Outcome.CONSULT_MOFCOM
    elif listed:
        result.outcome = Outcome.SINGLE_LICENCE
        if case is not None and watch:
            result.find("voucher_excluded")
        elif case is not None:
            result.outcome = Outcome.EXPORT_VOUCHER
            result.find("voucher_case", case=case.code)
            result.cite(*case.basis)
            voucher = next(
                (
                    lic
                    for lic in held_licences
                    if lic.kind == Licence.Kind.VOUCHER
                    and lic.voucher_case == case.code
                    and _fits(lic, line, transaction, end_user_ids, today)
                ),
                None,
            )
            if voucher is not None:
                result.licence = voucher
                result.find("voucher_held", licence=str(voucher))
            else:
                result.find("voucher_to_register")
        if result.outcome == Outcome.SINGLE_LICENCE and not watch:
            general = next(
                (
                    lic
                    for lic in held_licences
                    if lic.kind == Licence.Kind.GENERAL
                    and _fits(lic, line, transaction, end_user_ids, today)
                ),
                None,
            )
            if general is not None:
                result.outcome = Outcome.GENERAL_LICENCE
                result.licence = general
                result.find("general_held", licence=str(general))
    elif catch_all:
        result.outcome = Outcome.LICENCE_OR_REPORT
    else:
        result.outcome = Outcome.NO_LICENCE
    result.cite(*reference.outcome_basis.get(result.outcome, ()))
    return result
