"""The outcomes of a path, what each step found (stored as codes, read in the reader's
language), and the fingerprint of the line's key data a path depends on."""

import hashlib
import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from trade.licensing_reference import current_licensing_reference
from trade.models import (
    LicencePath,
    LicencePathOutcome,
    PartyRole,
    Transaction,
    TransactionItem,
)

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
