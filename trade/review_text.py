"""What the review checklist and the pre-filled red-flag answers say, stored as a code and its
parameters and rendered in the reader's language (never frozen in the writer's language).

`say(msgid)` gives the `Sentence` of one of the texts below (the call site keeps the English text
readable); `sentence % {...}` adds its parameters. Parameters hold names (parties, items, lists,
licences) and numbers as they are, ISO dates, and codes rendered as labels when shown: `country`
(a country code), `level` (a destination risk level), `type` (a party type), `severity` (a
red-flag severity) and `answer` (a red-flag answer, shown after `flag`). A problem or note stored
as plain text (a sentence written before codes were stored) is recognised in either language by
`parse`, or shown as written.
"""

import re
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext_lazy

from core.i18n import joined, parenthesised, semicolon_separator
from reference.choices import DestinationRiskLevel

TEXTS = {
    # trade.services.item: what keeps an item from approval, listed in the checklist as well.
    "awaits_mofcom_answer": gettext_noop(
        "%(item)s awaits MOFCOM's answer to a classification enquiry; record the answer before "
        "the export is approved."
    ),
    "catalogue_hs_needs_justification": gettext_noop(
        "HS code %(hs)s of %(item)s is in the customs catalogue, but the item is classified as "
        "not listed without a parameter-based justification. Classify it again and give one."
    ),
    "confirmed_match": gettext_noop("%(party)s is a confirmed match for %(name)s on %(list)s."),
    "has_undecided_hit": gettext_noop("%(party)s has an undecided hit on %(list)s."),
    "not_every_party_screened_current": gettext_noop(
        "Not every party is screened on the current lists yet."
    ),
    "every_party_screened_current_lists": gettext_noop(
        "Every party is screened on the current lists without such a hit."
    ),
    "end_user_certificate_expired": gettext_noop("The end-user certificate expired on %(date)s."),
    "certificate_attached_valid_until": gettext_noop(
        "A certificate is attached, valid until %(date)s."
    ),
    "no_valid_end_user_certificate": gettext_noop("No valid end-user certificate is recorded yet."),
    "no_end_user_named": gettext_noop("No end user is named."),
    "end_user_registered_as": gettext_noop("The end user %(party)s is registered as %(type)s."),
    "end_user_not_registered_as": gettext_noop(
        "The end user is not registered as a forwarder, bank or agent."
    ),
    "address_free_trade_or_bonded": gettext_noop(
        "The address of %(party)s is in a free trade or bonded zone."
    ),
    "no_end_user_or_consignee": gettext_noop("No end user or consignee is named."),
    "no_free_zone_or_bonded": gettext_noop(
        "No free-zone or bonded-area address among the end user and consignee."
    ),
    "destination_risk": gettext_noop("%(country)s: %(level)s destination risk."),
    "destination_risk_check_route": gettext_noop(
        "%(country)s: %(level)s destination risk; check the route."
    ),
    "no_destination_or_transit_country": gettext_noop(
        "No destination or transit country on the destination risk list."
    ),
    "military_user_mofcom_bans_dual": gettext_noop(
        "%(party)s (%(country)s) is a military user; MOFCOM bans dual-use exports to military "
        "users of %(country)s."
    ),
    "stated_end_use_military_covered": gettext_noop(
        "The stated end use is military, and %(country)s is covered by a MOFCOM ban on "
        "military users and uses."
    ),
    "covered_mofcom_ban_military_users": gettext_noop(
        "%(party)s is in %(country)s, covered by a MOFCOM ban on military users and uses: "
        "confirm that it is not a military user and the use is not military."
    ),
    "goods_go_or_through_covered": gettext_noop(
        "The goods go to or through %(country)s, covered by a MOFCOM ban on military users and "
        "uses: confirm who uses them in the end."
    ),
    "no_party_destination_or_transit": gettext_noop(
        "No party, destination or transit country is covered by a MOFCOM ban on military users "
        "and uses."
    ),
    "transaction_has_no_items": gettext_noop("The transaction has no items."),
    "not_classified": gettext_noop("%(item)s is not classified."),
    "classification_has_not_been_reviewed": gettext_noop(
        "The classification of %(item)s has not been reviewed by a second person."
    ),
    "controlled_items": gettext_noop("Controlled: %(items)s."),
    "name_end_user": gettext_noop("Name the end user."),
    "no_screening_list_has_been": gettext_noop("No screening list has been imported yet."),
    "has_not_been_screened": gettext_noop("%(party)s has not been screened."),
    "was_screened_before": gettext_noop("%(party)s was screened before %(lists)s."),
    "hit_score_score_needs_decision": gettext_noop(
        "%(party)s: hit %(name)s on %(list)s (score %(score).2f) needs a decision."
    ),
    "confirmed_match_see_red_flags": gettext_noop(
        "%(party)s is a confirmed match for %(name)s on %(list)s: see the red flags."
    ),
    "reference_library_not_loaded": gettext_noop("The reference library is not loaded."),
    "questions_not_answered": ngettext_lazy(
        "%(count)d of %(total)d question is not answered.",
        "%(count)d of %(total)d questions are not answered.",
        "total",
    ),
    "blocking_red_flag_compliance_manager": gettext_noop(
        "%(flag)s is a blocking red flag: a compliance manager must resolve it."
    ),
    "raised_explain_note_how_it": gettext_noop(
        "%(flag)s raised (%(severity)s): explain in the note how it was cleared."
    ),
    "not_required_no_controlled_item": gettext_noop("Not required: no controlled item."),
    "attach_end_user_end_use": gettext_noop("Attach the end-user/end-use certificate."),
    "record_who_issued_certificate": gettext_noop("Record who issued the certificate."),
    "record_until_when_certificate_valid": gettext_noop(
        "Record until when the certificate is valid."
    ),
    "certificate_expired": gettext_noop("The certificate expired on %(date)s."),
    "certificate_expires_before_planned_shipment": gettext_noop(
        "The certificate expires before the planned shipment."
    ),
    "walk_licensing_decision_path": gettext_noop("Walk the licensing decision path for %(item)s."),
    "key_data_changed_since_its": gettext_noop(
        "The key data of %(item)s changed since its path was walked: walk it again."
    ),
    "compliance_manager_confirms_path": gettext_noop(
        "A compliance manager confirms the path of %(item)s."
    ),
    "export_prohibited": gettext_noop("%(item)s: the export is prohibited (%(basis)s)."),
    "consult_mofcom_first_record_its": gettext_noop(
        "%(item)s: consult MOFCOM first and record its answer."
    ),
    "ships_export_voucher_choose_voucher": gettext_noop(
        "%(item)s ships on an export voucher: choose the voucher, not a licence."
    ),
    "needs_licence_export_voucher_does": gettext_noop(
        "%(item)s needs a licence: an export voucher does not cover it."
    ),
    "line_path_needs_licence_not": gettext_noop(
        "A line's path needs a licence: 'not controlled' cannot be the decision."
    ),
    "record_licence_decision": gettext_noop("Record the licence decision."),
    "item_controlled_not_controlled_cannot": gettext_noop(
        "An item is controlled: 'not controlled' cannot be the decision."
    ),
    "licence_required_apply_mofcom_then": gettext_noop(
        "A licence is required: apply to MOFCOM, then record the licence granted."
    ),
    "choose_licence_that_covers_this": gettext_noop(
        "Choose the licence that covers this transaction."
    ),
    "no_item_controlled_no_licence": gettext_noop("No item is controlled: no licence is needed."),
    "licence_was_revoked": gettext_noop("Licence %(number)s was revoked."),
    "licence_valid_from_until_only": gettext_noop(
        "Licence %(number)s is valid from %(start)s until %(end)s only."
    ),
    "licence_expires_in_days": ngettext_lazy(
        "Licence %(number)s expires in %(days)d day.",
        "Licence %(number)s expires in %(days)d days.",
        "days",
    ),
    "licence_does_not_cover": gettext_noop("Licence %(number)s does not cover %(item)s."),
    "licence_does_not_cover_destination": gettext_noop(
        "Licence %(number)s does not cover the destination %(country)s."
    ),
    "licence_does_not_name_this": gettext_noop("Licence %(number)s does not name this end user."),
    "licence_covered_items_are_priced": gettext_noop(
        "The licence is in %(currency)s; the covered items are priced in %(other)s."
    ),
    "licence_has_left_this_transaction": gettext_noop(
        "Licence %(number)s has %(left)s left; this transaction needs %(need)s."
    ),
    "licence_has_value_left_this": gettext_noop(
        "Licence %(number)s has %(left)s %(currency)s of value left; this transaction needs "
        "%(need)s."
    ),
}


def _forms(template) -> tuple[str, str]:
    """(singular, plural) English forms of a text (the same twice for a text without plural)."""
    if isinstance(template, str):
        return template, template
    return template._kw["singular"], template._kw["plural"]  # an ngettext_lazy entry


# A call site names its text by the English text (the plural form for a plural).
_CODES: dict[str, str] = {_forms(template)[1]: code for code, template in TEXTS.items()}


def _plain(value):
    """A parameter as JSON keeps it: numbers as they are, a list as the text of each item (joined
    in the reader's punctuation when the sentence is shown), anything else as its text."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def _labels(key: str) -> dict:
    # Imported when a sentence is shown: trade.models imports this module.
    from reference.models import RedFlag
    from screening.models import PartyType
    from trade.models import Answer

    choices = {
        "level": DestinationRiskLevel,
        "type": PartyType,
        "severity": RedFlag.Severity,
        "answer": Answer,
    }[key]
    return dict(choices.choices)


def _country_name(code: str) -> str:
    from django_countries import countries

    return str(dict(countries).get(code, code))


def _render_params(params: dict) -> dict:
    values = {key: joined(v) if isinstance(v, list) else v for key, v in params.items()}
    for key in ("level", "type", "severity"):
        if key in values:
            values[key] = str(_labels(key).get(values[key], values[key]))
    if "country" in values:
        values["country"] = _country_name(values["country"])
    if "basis" in values:
        values["basis"] = citations(values["basis"])
    if "answer" in values and "flag" in values:
        answer = _labels("answer").get(values["answer"], values["answer"])
        values["flag"] = f"{values['flag']}{parenthesised(answer)}"
    return values


def render(code: str, params: dict | None, fallback: str = "") -> str:
    """The sentence in the active language (`fallback` when the code is not known)."""
    template = TEXTS.get(code or "")
    if template is None:
        return fallback
    values = _render_params(params or {})
    try:
        if isinstance(template, str):
            return gettext(template) % values
        return str(template % values)
    except (KeyError, TypeError, ValueError):
        return fallback


class Sentence:
    """One of TEXTS with its parameters; shown (str) in the active language."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, params: dict | None = None):
        if code not in TEXTS:
            raise ValueError(f"Unknown review text: {code}")
        self.code = code
        self.params = {key: _plain(value) for key, value in (params or {}).items()}

    def __mod__(self, params: dict) -> "Sentence":
        return Sentence(self.code, params)

    def __str__(self) -> str:
        return render(self.code, self.params, self.code)

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __repr__(self) -> str:
        return f"Sentence({self.code!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Sentence) and (self.code, self.params) == (
            other.code,
            other.params,
        )

    def __hash__(self) -> int:
        params = {k: tuple(v) if isinstance(v, list) else v for k, v in self.params.items()}
        return hash((self.code, tuple(sorted(params.items()))))

    def as_data(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


def say(msgid: str) -> Sentence:
    """The sentence whose English text is `msgid` (its parameters follow with `%`)."""
    return Sentence(_CODES[msgid])


def stored(value) -> dict | str:
    """A problem or note as it is frozen in evidence: code and parameters, or text as written."""
    if isinstance(value, Sentence):
        return value.as_data()
    return str(value)


def shown(value) -> str:
    """A frozen problem or note in the active language: a code is rendered, a sentence written
    before codes were stored is recognised (in either language), other text stays as written."""
    if isinstance(value, dict):
        return render(value.get("code", ""), value.get("params"), value.get("text", ""))
    text = str(value or "")
    parsed = parse(text)
    return render(*parsed) if parsed else text


# --- legal citations ------------------------------------------------------------------------

# The laws cited by the reference library (in their Chinese citation form), and their names.
LAWS = {
    "两用物项出口管制条例": gettext_noop("Regulations on dual-use items"),
    "中华人民共和国两用物项出口管制条例": gettext_noop("Regulations on dual-use items"),
    "出口管制法": gettext_noop("Export Control Law"),
    "中华人民共和国出口管制法": gettext_noop("Export Control Law"),
}
_CITATION = re.compile(
    r"《(?P<law>[^》]+)》(?:第(?P<article>[一二三四五六七八九十百零]+)条)?"
    r"(?:第(?P<paragraph>[一二三四五六七八九十]+)款)?(?:第[（(](?P<item>[一二三四五六七八九十]+)[）)]项)?"
    r"(?:[（(](?P<year>\d{4})[）)])?"
)
_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _number(chinese: str) -> int:
    """A Chinese numeral up to 999 (三十五 -> 35, 十四 -> 14, 一百零二 -> 102)."""
    total, current = 0, 0
    for char in chinese:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def citation(text: str) -> str:
    """A citation of the reference library (written in its Chinese form) in the reader's
    language: "《出口管制法》第十二条第三款" reads "Export Control Law, Art. 12(3)" in English.
    A citation not recognised is shown as written."""
    if translation.get_language() in ("zh-hans", "zh-cn", "zh"):
        return text
    match = _CITATION.fullmatch(text.strip())
    if match is None or match.group("law") not in LAWS:
        return text
    name = gettext(LAWS[match.group("law")])
    if match.group("year"):
        return f"{name} ({match.group('year')})"
    if not match.group("article"):
        return name
    article = str(_number(match.group("article")))
    for part in ("paragraph", "item"):
        if match.group(part):
            article += f"({_number(match.group(part))})"
    return gettext("%(law)s, Art. %(article)s") % {"law": name, "article": article}


def citations(basis) -> str:
    """Citations (a list, or joined by 、) in the reader's language, joined."""
    if isinstance(basis, str):
        basis = [part for part in basis.split("、") if part]
    if translation.get_language() in ("zh-hans", "zh-cn", "zh"):
        return "、".join(basis)
    return semicolon_separator().join(citation(part) for part in basis)


# --- sentences written before codes were stored --------------------------------------------------


@lru_cache(maxsize=4)
def _patterns(language: str) -> list:
    """(code, regex, names of whole-number parameters) of every text in `language`."""
    found = []
    with translation.override(language):
        for code, template in TEXTS.items():
            singular, plural = _forms(template)
            if isinstance(template, str):
                forms = [gettext(template)]
            else:
                forms = [translation.ngettext(singular, plural, n) for n in (1, 2)]
            for form in dict.fromkeys(forms):
                regex, names, numbers = "", [], set()
                position = 0
                for match in re.finditer(r"%\((\w+)\)(s|d|\.2f)", form):
                    regex += re.escape(form[position : match.start()])
                    name, kind = match.group(1), match.group(2)
                    if name in names:
                        regex += f"(?P={name})"
                    else:
                        pattern = r"\d+" if kind == "d" else ".+?"
                        regex += f"(?P<{name}>{pattern})"
                        names.append(name)
                    if kind == "d":
                        numbers.add(name)
                    if kind == ".2f":
                        numbers.add(f"{name}:float")
                    position = match.end()
                regex += re.escape(form[position:])
                found.append((code, re.compile(regex + r"\Z", re.DOTALL), numbers))
    return found


@lru_cache(maxsize=4)
def _reverse_labels(languages: tuple) -> dict:
    from django_countries import countries

    labels: dict = {key: {} for key in ("level", "type", "severity", "answer", "country")}
    for language in languages:
        with translation.override(language):
            for key in ("level", "type", "severity", "answer"):
                for code, label in _labels(key).items():
                    labels[key][str(label)] = code
            for code, name in countries:
                labels["country"][str(name)] = code
    return labels


def parse(text: str, languages=("en", "zh-hans")) -> tuple[str, dict] | None:
    """The code and parameters of a sentence written (in one of `languages`) before codes were
    stored; None when it is not one of TEXTS."""
    text = (text or "").strip()
    if not text:
        return None
    labels = _reverse_labels(tuple(languages))
    for language in languages:
        for code, regex, numbers in _patterns(language):
            match = regex.match(text)
            if match is None:
                continue
            params = _params_back(dict(match.groupdict()), numbers, labels)
            if params is not None:
                return code, params
    return None


def _params_back(params: dict, numbers: set, labels: dict) -> dict | None:
    """Labels back to codes, numbers back to numbers; None when a label is not one."""
    for key, value in list(params.items()):
        if key in numbers:
            params[key] = int(value)
        elif f"{key}:float" in numbers:
            try:
                params[key] = float(value)
            except ValueError:
                return None
        elif key in labels and key != "answer":
            if value not in labels[key]:
                return None
            params[key] = labels[key][value]
    if "flag" in params:
        flag = re.fullmatch(r"(.+?) ?[(（](.+)[)）]", params["flag"])
        if flag and flag.group(2) in labels["answer"]:
            params["flag"], params["answer"] = flag.group(1), labels["answer"][flag.group(2)]
    return params
