"""Sentences the system writes into the review trail, stored as a code and its parameters and
rendered in the reader's language when shown (not in the writer's language when stored).

A stored reason is a `StoredText(code, params)`; parameters hold names (of items, parties,
licences, lists) as they are, and codes (field names, party roles, licence decisions) that are
rendered as labels. A row without a code shows its text as written (a person's own words, or a
row written before codes existed).
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext, gettext_noop

from core.i18n import joined

TEXTS = {
    "key_changed": gettext_noop("Key element changed after approval: %(fields)s."),
    "changed": gettext_noop("Changed: %(fields)s."),
    "item_added": gettext_noop("Item %(item)s added."),
    "item_added_after_approval": gettext_noop("Item %(item)s added after approval."),
    "item_removed": gettext_noop("Item %(item)s removed."),
    "item_removed_after_approval": gettext_noop("Item %(item)s removed after approval."),
    "item_changed": gettext_noop(
        "Item %(item)s changed: quantity %(quantity)s, value %(value)s %(currency)s, "
        "HS code %(hs_code)s."
    ),
    # As written before HS codes were part of the sentence (rows recognised by `parse`).
    "item_quantity_value_changed": gettext_noop(
        "Item %(item)s changed: quantity %(quantity)s, value %(value)s %(currency)s."
    ),
    "item_changed_after_approval": gettext_noop(
        "Item %(item)s changed after approval: quantity %(quantity)s, value %(value)s "
        "%(currency)s, HS code %(hs_code)s."
    ),
    "item_changed_beyond_licence": gettext_noop(
        "Item %(item)s changed: quantity %(quantity)s, value %(value)s %(currency)s. This is "
        "beyond licence %(licence)s."
    ),
    "item_changed_within_licence": gettext_noop(
        "Item %(item)s changed: quantity %(quantity)s, value %(value)s %(currency)s. Within the "
        "balance of licence %(licence)s: the approval stands and the licence draw-down follows."
    ),
    "party_added": gettext_noop("%(role)s: %(party)s added."),
    "party_removed": gettext_noop("%(role)s: %(party)s removed."),
    "euc_recorded": gettext_noop("End-user certificate recorded."),
    "euc_changed_after_approval": gettext_noop(
        "End-user certificate changed after approval: %(fields)s."
    ),
    "licence_decision": gettext_noop("Licence decision: %(decision)s."),
    "licence_decision_licence": gettext_noop(
        "Licence decision: %(decision)s, licence %(licence)s."
    ),
    "red_flag_raised_after_approval": gettext_noop(
        "Blocking red flag %(flag)s raised after approval."
    ),
    "released_reviewed_again": gettext_noop("Released from hold: reviewed again. %(reason)s"),
    "list_update_hit": gettext_noop(
        "New screening hit after a list update: %(party)s ~ %(name)s (%(list)s)."
    ),
    "licence_path_walked": gettext_noop(
        "Licensing decision path walked for %(item)s: %(outcome)s."
    ),
    "licence_path_confirmed": gettext_noop(
        "Licensing decision path for %(item)s confirmed: %(outcome)s."
    ),
    "licence_path_changed_after_approval": gettext_noop(
        "Licensing decision path for %(item)s changed after approval: %(outcome)s."
    ),
    "classified_again": gettext_noop("%(item)s was classified again: now %(classification)s."),
    "voucher_condition_lapsed": gettext_noop(
        "Export voucher %(number)s: a condition no longer holds."
    ),
}


def _field_label(name: str) -> str:
    from trade.models import Transaction, TransactionItem

    for model in (Transaction, TransactionItem):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # not a field of this model: try the next
            continue
    return name


def _render_params(params: dict) -> dict:
    from trade.models import LicenceDecision, PartyRole

    values = dict(params)
    if "fields" in values:
        values["fields"] = joined(_field_label(name) for name in values["fields"])
    if "role" in values:
        values["role"] = str(dict(PartyRole.choices).get(values["role"], values["role"]))
    if "decision" in values:
        values["decision"] = str(
            dict(LicenceDecision.choices).get(values["decision"], values["decision"])
        )
    if "outcome" in values:
        from trade.models import LicencePathOutcome

        values["outcome"] = str(
            dict(LicencePathOutcome.choices).get(values["outcome"], values["outcome"])
        )
    if "hs_code" in values:
        values["hs_code"] = values["hs_code"] or "—"
    return values


def render(code: str, params: dict | None, fallback: str = "") -> str:
    """The stored sentence in the active language (`fallback` when there is no known code)."""
    template = TEXTS.get(code or "")
    if template is None:
        return fallback
    try:
        return gettext(template) % _render_params(params or {})
    except (KeyError, TypeError, ValueError):
        return fallback


@dataclass(frozen=True)
class StoredText:
    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.code not in TEXTS:
            raise ValueError(f"Unknown stored text code: {self.code}")

    def __str__(self) -> str:
        return render(self.code, self.params)


def stored(code: str, **params) -> StoredText:
    return StoredText(code, params)


def split(reason) -> tuple[str, str, dict]:
    """(text as written now, code, params) of a reason given as a StoredText or plain text."""
    if isinstance(reason, StoredText):
        return str(reason), reason.code, dict(reason.params)
    return str(reason or ""), "", {}


# --- rows written before codes: recognise their sentences ---------------------------------------

# Sentences of earlier versions, recognised in rows written before codes existed.
LEGACY_TEXTS = {
    "item_changed_legacy": (
        "item_quantity_value_changed",
        "Item %(item)s changed: quantity %(quantity)s, value %(value)s %(currency)s.",
    ),
    # The "changed" events listed the changed fields' labels only.
    "changed_legacy": ("changed", "%(fields)s"),
    "licence_decision_legacy": (
        "licence_decision",
        "Licence decision: %(decision)s%(licence)s.",
    ),
}


def _pattern(template: str):
    import re

    parts = re.split(r"%\((\w+)\)s", template)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.*?)"
        for index, part in enumerate(parts)
    )
    return re.compile(regex + r"\Z", re.DOTALL)


def _reverse_params(params: dict, languages) -> dict | None:
    """Labels back to codes (field names, party roles, licence decisions); None: not one."""
    import re

    from django.utils import translation

    from trade.models import LicenceDecision, PartyRole, Transaction, TransactionItem

    labels: dict = {"fields": {}, "role": {}, "decision": {}}
    for language in languages:
        with translation.override(language):
            for model in (Transaction, TransactionItem):
                for model_field in model._meta.get_fields():
                    if hasattr(model_field, "verbose_name"):
                        labels["fields"].setdefault(str(model_field.verbose_name), model_field.name)
            for code, label in PartyRole.choices:
                labels["role"][str(label)] = code
            for code, label in LicenceDecision.choices:
                labels["decision"][str(label)] = code
    values = dict(params)
    if "fields" in values:
        names = [
            labels["fields"].get(label.strip()) for label in re.split(r", |、", values["fields"])
        ]
        if not all(names):
            return None
        values["fields"] = names
    for key in ("role", "decision"):
        if key in values:
            if values[key] not in labels[key]:
                return None
            values[key] = labels[key][values[key]]
    if "licence" in values and values["licence"].startswith(" ("):
        values["licence"] = values["licence"][2:-1]
    return values


def parse(text: str, languages=("en", "zh-hans")) -> tuple[str, dict] | None:
    """The code and parameters of a sentence the system wrote (in any of `languages`) before
    codes were stored; None when it is not one (a person's words stay as written)."""
    from django.utils import translation

    text = (text or "").strip()
    if not text:
        return None
    candidates = [(code, code, template) for code, template in TEXTS.items()]
    candidates += [(name, code, template) for name, (code, template) in LEGACY_TEXTS.items()]
    for language in languages:
        with translation.override(language):
            for name, code, template in candidates:
                match = _pattern(gettext(template)).match(text)
                if match is None:
                    continue
                params = _reverse_params(match.groupdict(), languages)
                if params is None:
                    continue
                if name == "licence_decision_legacy" and params.get("licence"):
                    code = "licence_decision_licence"
                elif name == "licence_decision_legacy":
                    params.pop("licence", None)
                return code, params
    return None
