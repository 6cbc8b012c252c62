"""The licensing decision path of one transaction line (REGS Arts. 13-20, ECL Art. 12).

1. Is the item on the control list or under a temporary control? Unsure, or a classification
   that says "consult MOFCOM": the path ends in "consult MOFCOM first".
2. Not listed: the catch-all questions (ECL Art. 12(3), REGS Art. 14(3)).
3. Destination, end-user and end-use restrictions: the destination measures of the reference
   data, the questions that apply to the destination (the 2024 measure on US military users),
   parties on MOFCOM's control list (from screening or answered) and watch list.
4. The outcome with its legal basis: prohibited; single licence; general licence (only a
   general licence the organisation holds that fits the line); export voucher by registration
   (REGS Arts. 15 and 19, in the cases the reference data names, not for watch-listed parties);
   licence-or-report (catch-all); or no licence needed.

`licence_path_evaluate` is pure (no writes, no queries beyond what it is given);
`licence_path_walk` records it. The questions and cases are reference data
(trade.licensing_reference). A path records a fingerprint of the line's key data: when the
item, its classification, the destination, the end use, the parties or the reference version
change, the path is out of date and check 5 asks for it to be walked again.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.permissions import require_role
from accounts.roles import Role
from trade.licensing_reference import LicensingReference, current_licensing_reference
from trade.models import (
    Classification,
    Licence,
    LicenceDecision,
    LicencePath,
    LicencePathOutcome,
    PartyRole,
    Transaction,
    TransactionEvent,
    TransactionItem,
)
from trade.review_text import citations
from trade.stored_text import stored

Outcome = LicencePathOutcome

# Outcomes that need a licence or a voucher before the line ships.
NEEDS_LICENCE = {
    Outcome.SINGLE_LICENCE,
    Outcome.GENERAL_LICENCE,
    Outcome.EXPORT_VOUCHER,
    Outcome.LICENCE_OR_REPORT,
}
# Outcomes that stop the line until something outside the app happens.
STOPS = {Outcome.PROHIBITED, Outcome.CONSULT_MOFCOM}
ANSWER_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "unsure": gettext_lazy("Unsure: consult MOFCOM"),
}
# The parties whose listing restricts the export (REGS Arts. 26 and 29: importers, end users).
RESTRICTED_ROLES = (PartyRole.BUYER, PartyRole.CONSIGNEE, PartyRole.END_USER)

# What each step found, stored as codes and rendered in the reader's language.
FINDINGS = {
    "listed": gettext_noop("The item is on the control list: %(code)s."),
    "not_listed": gettext_noop("The item is not on the control list."),
    "classification_consult": gettext_noop(
        "The item's classification is open: MOFCOM is to be consulted."
    ),
    "temporary_control": gettext_noop("The item is under a temporary control."),
    "temporary_control_unsure": gettext_noop(
        "Unsure whether a temporary control applies: consult MOFCOM."
    ),
    "catch_all_classification": gettext_noop(
        "The item's classification found a catch-all concern."
    ),
    "catch_all_yes": gettext_noop("Catch-all: %(question)s Yes."),
    "catch_all_none": gettext_noop("No catch-all concern."),
    "destination_measure": gettext_noop("Destination measure: %(measure)s."),
    "destination_measure_unlisted": gettext_noop(
        "Destination measure: %(measure)s. Consult MOFCOM whether it covers this item."
    ),
    "military_end_use": gettext_noop(
        "The end user is a US military user or the end use is military."
    ),
    "party_control_list_screening": gettext_noop(
        "%(party)s is a confirmed match on MOFCOM's list of controlled importers and end users."
    ),
    "party_control_list": gettext_noop(
        "An importer or end user is on MOFCOM's list of controlled importers and end users: "
        "only MOFCOM's approval in a special case allows the trade."
    ),
    "party_watch_list": gettext_noop(
        "An importer or end user is on MOFCOM's watch list: no general licence or export voucher; "
        "a single-licence application needs a risk assessment report and an undertaking."
    ),
    "voucher_case": gettext_noop("Export voucher case: %(case)s."),
    "voucher_held": gettext_noop("Export voucher %(licence)s fits this line."),
    "voucher_to_register": gettext_noop(
        "Register before the export and record the export voucher in the licence register."
    ),
    "voucher_excluded": gettext_noop(
        "An export voucher is not available for a watch-listed importer or end user."
    ),
    "general_held": gettext_noop("General licence %(licence)s fits this line."),
}


def finding_text(finding: dict) -> str:
    template = FINDINGS.get(finding.get("code", ""))
    if template is None:
        return ""
    params = dict(finding.get("params") or {})
    reference = current_licensing_reference()
    if "question" in params:
        question = reference.question(params["question"])
        params["question"] = str(question.text) if question else params["question"]
    if "measure" in params:
        measure = next(
            (m for m in reference.destination_measures if m.code == params["measure"]), None
        )
        params["measure"] = str(measure.title) if measure else params["measure"]
    if "case" in params:
        case = reference.voucher_case(params["case"])
        params["case"] = str(case.text) if case else params["case"]
    try:
        return _(template) % params
    except (KeyError, TypeError, ValueError):
        return ""


# --- the line's key data ------------------------------------------------------------------------


def line_fingerprint(transaction: Transaction, line: TransactionItem, parties, version: str) -> str:
    """A digest of what the path depends on; `parties` are (role, party id) pairs."""
    data = {
        "item": line.item_id,
        "classification": line.item.current_classification_id,
        "destination": transaction.destination_country.code,
        "transit": sorted(c.code for c in transaction.transit_countries),
        "end_use": transaction.end_use,
        "kind": transaction.kind,
        "intangible": transaction.is_intangible,
        "parties": sorted([role, pk] for role, pk in parties),
        "reference": version,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def ctx_fingerprint(ctx, line) -> str:
    parties = [(p.link.role, p.link.party_id) for p in ctx.parties]
    return line_fingerprint(ctx.transaction, line, parties, current_licensing_reference().version)


def path_of(line) -> LicencePath | None:
    try:
        return line.licence_path
    except LicencePath.DoesNotExist:
        return None


# --- evaluating ---------------------------------------------------------------------------------


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


# --- recording ----------------------------------------------------------------------------------


def held_licences(*, organisation, today) -> list[Licence]:
    """General licences and export vouchers in force, with what `_fits` reads (3 queries)."""
    return list(
        Licence.objects.for_organisation(organisation)
        .filter(
            kind__in=[Licence.Kind.GENERAL, Licence.Kind.VOUCHER],
            revoked_at__isnull=True,
            suspended_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .prefetch_related("items", "end_users")
        .order_by("valid_until", "pk")
    )


def control_list_matches(ctx) -> list[str]:
    """Names of importers, consignees and end users screening confirmed on MOFCOM's control
    list."""
    from trade.services.review import list_kind

    return [
        str(party.link.party)
        for party in ctx.parties
        if party.link.role in RESTRICTED_ROLES
        and any(
            list_kind(hit.list_code) == "party_on_cn_control_list" for hit in party.true_matches
        )
    ]


def licence_path_walk(
    *, line: TransactionItem, user, answers: dict, voucher_case: str = ""
) -> LicencePath:
    """Walk and record the path of one line. A compliance manager's walk is confirmed at once;
    a staff member's waits for a manager. Raises ValidationError (by question code) for a
    missing answer; changes nothing then. After approval a changed outcome reopens the
    review."""
    from trade.services.review import review_context, transaction_refresh
    from trade.services.transaction.common import (
        _check_editable,
        _event,
        _was_approved,
        transaction_reopen,
    )

    transaction = line.transaction
    membership = require_role(
        organisation=transaction.organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER, Role.STAFF},
        message="compliance managers and staff only",
    )
    _check_editable(transaction)
    reference = current_licensing_reference()
    if voucher_case and reference.voucher_case(voucher_case) is None:
        raise ValidationError({"voucher_case": _("Choose one of the export voucher cases.")})
    ctx = review_context(transaction)
    line = next((candidate for candidate in ctx.lines if candidate.pk == line.pk), line)
    today = timezone.localdate()
    result = licence_path_evaluate(
        transaction=transaction,
        line=line,
        answers=answers,
        voucher_case=voucher_case,
        control_list_matches=control_list_matches(ctx),
        held_licences=held_licences(organisation=transaction.organisation, today=today),
        today=today,
        reference=reference,
    )
    if result.errors:
        raise ValidationError(result.errors)
    kept = {
        code: value
        for code, value in answers.items()
        if reference.question(code) is not None and value
    }
    now = timezone.now()
    manager = membership.role == Role.COMPLIANCE_MANAGER
    with db_transaction.atomic():
        path = path_of(line) or LicencePath(
            organisation_id=transaction.organisation_id, transaction=transaction, line=line
        )
        before = path.outcome if path.pk else ""
        path.answers = kept
        path.voucher_case = voucher_case
        path.outcome = result.outcome
        path.findings = result.findings
        path.basis = result.basis
        path.licence = result.licence
        path.reference_version = reference.version
        path.reference_sha256 = reference.sha256
        path.fingerprint = ctx_fingerprint(ctx, line)
        path.walked_by, path.walked_at = user, now
        path.confirmed_by, path.confirmed_at = (user, now) if manager else (None, None)
        path.save()
        params = {"item": str(line.item), "outcome": result.outcome}
        if _was_approved(transaction) and before != result.outcome:
            transaction_reopen(
                transaction=transaction,
                user=user,
                reason=stored("licence_path_changed_after_approval", **params),
            )
        else:
            _event(
                transaction,
                TransactionEvent.Kind.CHANGED,
                user=user,
                reason=stored("licence_path_walked", **params),
            )
        decision_from_paths(transaction=transaction)
        transaction_refresh(transaction=transaction)
    return path


def licence_path_confirm(*, path: LicencePath, user) -> LicencePath:
    """A compliance manager confirms a path a staff member walked. Idempotent."""
    from trade.services.review import transaction_refresh
    from trade.services.transaction.common import _check_editable, _event

    transaction = path.transaction
    require_role(
        organisation=transaction.organisation,
        user=user,
        roles={Role.COMPLIANCE_MANAGER},
        message="compliance managers only",
    )
    _check_editable(transaction)
    if path.is_confirmed:
        return path
    with db_transaction.atomic():
        path.confirmed_by, path.confirmed_at = user, timezone.now()
        path.save()
        _event(
            transaction,
            TransactionEvent.Kind.CHANGED,
            user=user,
            reason=stored("licence_path_confirmed", item=str(path.line.item), outcome=path.outcome),
        )
        transaction_refresh(transaction=transaction)
    return path


def decision_from_paths(*, transaction: Transaction) -> bool:
    """Set the transaction's licence decision from its lines' paths when they settle it: all
    lines need no licence -> not controlled; every line needing one fits the same licence or
    voucher held -> covered by it; otherwise a licence is to be applied for. A decision already
    covered by a licence stays (the licence MOFCOM granted is recorded by hand). Returns
    whether it changed."""
    paths = list(LicencePath.objects.filter(transaction=transaction).select_related("licence"))
    line_count = transaction.lines.count()
    if not paths or len(paths) != line_count or any(p.outcome in STOPS for p in paths):
        return False
    needing = [p for p in paths if p.outcome in NEEDS_LICENCE]
    decision, licence = transaction.licence_decision, transaction.licence
    if not needing:
        decision, licence = LicenceDecision.NOT_CONTROLLED, None
    elif len({p.licence_id for p in needing}) == 1 and needing[0].licence_id:
        decision, licence = LicenceDecision.COVERED, needing[0].licence
    elif transaction.licence_decision != LicenceDecision.COVERED:
        kinds = {p.outcome for p in needing}
        decision = (
            LicenceDecision.GENERAL_REQUIRED
            if kinds == {Outcome.GENERAL_LICENCE}
            else LicenceDecision.SINGLE_REQUIRED
        )
        licence = None
    if decision == transaction.licence_decision and getattr(licence, "pk", None) == (
        transaction.licence_id
    ):
        return False
    transaction.licence_decision, transaction.licence = decision, licence
    transaction.save(update_fields=["licence_decision", "licence", "updated_at"])
    return True


def path_rows(ctx) -> list[dict]:
    """Each line's path as the review record and the inspection bundle print it, in the
    reader's language (no queries beyond the review context)."""
    reference = current_licensing_reference()
    rows = []
    for line in ctx.lines:
        path = path_of(line)
        if path is None:
            rows.append({"line": line, "path": None})
            continue
        answers = []
        for code, value in path.answers.items():
            question = reference.question(code)
            answers.append(
                (str(question.text) if question else code, str(ANSWER_LABELS.get(value, value)))
            )
        case = reference.voucher_case(path.voucher_case) if path.voucher_case else None
        rows.append(
            {
                "line": line,
                "path": path,
                "outcome": path.get_outcome_display(),
                "basis": citations(path.basis),
                "findings": [text for text in map(finding_text, path.findings) if text],
                "answers": answers,
                "voucher_case": str(case.text) if case else "",
                "stale": path.fingerprint != ctx_fingerprint(ctx, line),
            }
        )
    return rows


def path_evidence(ctx) -> list[dict]:
    """The paths as plain data, frozen with an approval."""
    return [
        {
            "line_id": line.pk,
            "outcome": path.outcome,
            "answers": path.answers,
            "voucher_case": path.voucher_case,
            "basis": path.basis,
            "licence_id": path.licence_id,
            "reference_version": path.reference_version,
            "walked_by": str(path.walked_by),
            "walked_at": path.walked_at.isoformat(),
            "confirmed_by": str(path.confirmed_by or ""),
            "confirmed_at": path.confirmed_at.isoformat() if path.confirmed_at else None,
        }
        for line in ctx.lines
        if (path := path_of(line)) is not None
    ]
