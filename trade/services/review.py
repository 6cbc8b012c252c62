"""The review checklist of an export transaction, computed from the data, never typed in.

1. every item classified; 2. every party screened on the current list versions and every hit
decided; 3. the red-flag questionnaire answered, blocking flags resolved; 4. a valid end-user
certificate where an item is controlled; 5. the licence decision recorded and consistent.

`review_context` loads everything a check needs in a fixed number of queries (independent of the
number of items, parties or flags); `review_checklist` turns it into five checks with their
problems and where to fix them. `transaction_refresh` keeps the answers pre-filled from data and
the queue columns (risk, checks open) up to date; every service that changes a transaction
calls it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from records.models import Document
from reference.choices import DestinationRiskLevel
from reference.models import RedFlag
from reference.selectors import current_framework
from screening.models import Adjudication, HitDecision, Screening, ScreeningHit
from screening.services.index import current_versions
from trade.hooks import DestinationRiskFact, destination_risks_read
from trade.models import (
    Answer,
    LicenceDecision,
    PartyRole,
    PartyType,
    RedFlagAnswer,
    RiskLevel,
    Transaction,
    TransactionParty,
)
from trade.models.licence import EXPIRY_WARNING_DAYS, Licence, LicenceDrawdown
from trade.review_text import Sentence, say
from trade.services.item import items_export_problems
from trade.services.licence_path import (
    NEEDS_LICENCE,
    ctx_fingerprint,
    path_of,
)
from trade.services.licence_path import Outcome as PathOutcome

# Which screening lists answer which red-flag question. MOFCOM publishes its lists as notices;
# organisations name them in the app, so a list is recognised by words in its code.
CN_LIST_KEYWORDS = {
    "party_on_uel": ("uel", "unreliable"),
    "party_on_cn_watch_list": ("watch",),
    "party_on_cn_control_list": ("control", "ecl"),
}
# Words in an address that put it in a free trade zone or bonded area.
FREE_TRADE_ZONE_WORDS = (
    "free trade zone",
    "free zone",
    "freezone",
    "ftz",
    "jafza",
    "jebel ali",
    "bonded",
    "自由贸易",
    "自贸",
    "保税",
    "serbest bölge",
)
# Words in a party's name or the stated end use that point to a military user or use.
MILITARY_WORDS = (
    "military",
    "defense",
    "defence",
    "army",
    "navy",
    "air force",
    "armed forces",
    "marine corps",
    "missile",
    "munition",
    "军事",
    "军队",
    "部队",
    "国防",
    "防务",
    "军工",
    "防衛",
    "自衛隊",
)
# Party types that are not plausible end users of an industrial item.
NOT_END_USER_TYPES = {PartyType.FORWARDER, PartyType.BANK, PartyType.AGENT}

CHECK_CODES = ("classification", "screening", "red_flags", "euc", "licence")


@dataclass
class Problem:
    # A Sentence (trade.review_text: a code and its parameters, shown in the reader's language);
    # plain text only for what no code covers.
    message: Sentence | str
    url: str = ""
    blocking: bool = True


@dataclass
class Check:
    code: str
    number: int
    title: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[Sentence | str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(problem.blocking for problem in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.blocking]

    @property
    def blockers(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.blocking]

    @property
    def status(self) -> str:
        if not self.passed:
            return "open"
        return "warning" if self.warnings else "ok"


@dataclass
class PartyScreening:
    """One party of the transaction and where its screening stands."""

    link: TransactionParty
    screening: Screening | None
    stale_lists: list[str]
    open_hits: list
    true_matches: list
    false_positives: list

    @property
    def status(self) -> str:
        if self.screening is None:
            return "not_screened"
        if self.stale_lists:
            return "stale"
        if self.open_hits:
            return "open_hits"
        if self.true_matches:
            return "match"
        return "clear"


@dataclass
class ReviewContext:
    transaction: Transaction
    lines: list
    parties: list[PartyScreening]
    current_version_ids: set
    current_versions: list
    framework: object | None
    red_flags: list
    answers: dict  # red flag pk -> RedFlagAnswer
    euc_documents: list
    destination_risks: dict[str, DestinationRiskFact]  # of the destination and transit countries
    military_bans: dict[str, DestinationRiskFact]  # bans on military users and uses, any country
    licence_item_ids: set
    licence_end_user_ids: set
    licence_drawn: tuple  # (quantity, value) drawn by other transactions
    today: datetime.date

    @property
    def controlled_lines(self) -> list:
        """Lines that need a licence: by their classification, or by their licensing path (a
        catch-all answer or a temporary control the classification does not show)."""
        return [
            line
            for line in self.lines
            if (
                line.item.current_classification_id
                and line.item.current_classification.is_controlled
            )
            or getattr(path_of(line), "outcome", "") in NEEDS_LICENCE
        ]

    @property
    def is_controlled(self) -> bool:
        return bool(self.controlled_lines)

    def parties_in(self, *roles) -> list:
        return [p for p in self.parties if p.link.role in roles]


def _list_kind(code: str) -> str | None:
    words = code.lower().replace("_", "-").split("-")
    is_chinese = any(word in ("cn", "mofcom", "prc", "china") for word in words)
    for prefill, keywords in CN_LIST_KEYWORDS.items():
        if any(word in keywords for word in words) and (is_chinese or prefill == "party_on_uel"):
            return prefill
    return None


def review_context(transaction: Transaction) -> ReviewContext:
    """Everything the five checks read, in a fixed number of queries."""
    organisation = transaction.organisation
    today = timezone.localdate()
    lines = list(
        transaction.lines.select_related(
            "item__current_classification__control_entry",
            "item__current_classification__classified_by",
            "item__current_classification__reviewed_by",
            "licence_path__licence",
            "licence_path__walked_by",
            "licence_path__confirmed_by",
        ).order_by("pk")
    )
    links = list(transaction.parties.select_related("party__last_screening").order_by("role", "pk"))
    versions = current_versions(organisation)
    current_ids = {version.pk for version in versions}
    screening_ids = {link.party.last_screening_id for link in links} - {None}
    used_versions: dict[int, set] = {}
    hits_by_screening: dict[int, list] = {}
    if screening_ids:
        through = Screening.list_versions.through
        for screening_id, version_id in through.objects.filter(
            screening_id__in=screening_ids
        ).values_list("screening_id", "listversion_id"):
            used_versions.setdefault(screening_id, set()).add(version_id)
        hits = (
            ScreeningHit.objects.filter(screening_id__in=screening_ids)
            .exclude(decision=HitDecision.CLEAR)
            .select_related("adjudication", "remembered")
            .order_by("screening_id", "rank")
        )
        for hit in hits:
            hits_by_screening.setdefault(hit.screening_id, []).append(hit)
    version_names = {version.pk: str(version) for version in versions}
    parties = []
    for link in links:
        screening = link.party.last_screening
        open_hits: list[ScreeningHit] = []
        matches: list[ScreeningHit] = []
        cleared: list[ScreeningHit] = []
        stale: list[str] = []
        if screening is not None:
            stale = sorted(
                version_names[v] for v in current_ids - used_versions.get(screening.pk, set())
            )
            for hit in hits_by_screening.get(screening.pk, []):
                adjudication = getattr(hit, "adjudication", None) if hit_is_decided(hit) else None
                if adjudication is not None:
                    (
                        matches
                        if adjudication.outcome == Adjudication.Outcome.TRUE_MATCH
                        else cleared
                    ).append(hit)
                elif hit.remembered_id:
                    cleared.append(hit)
                else:
                    open_hits.append(hit)
        parties.append(PartyScreening(link, screening, stale, open_hits, matches, cleared))

    framework = current_framework()
    red_flags = (
        list(
            RedFlag.objects.filter(framework=framework, merged_into="").order_by("order", "ref_id")
        )
        if framework
        else []
    )
    answers = {
        answer.red_flag_id: answer
        for answer in transaction.red_flag_answers.select_related("answered_by", "resolved_by")
    }
    euc_documents = list(
        Document.objects.filter(
            organisation_id=transaction.organisation_id,
            content_type__app_label="trade",
            content_type__model="transaction",
            object_id=str(transaction.pk),
            document_type=Document.Type.END_USER_CERTIFICATE,
        ).order_by("-uploaded_at")
    )
    countries = [
        transaction.destination_country.code,
        *[c.code for c in transaction.transit_countries],
    ]
    # MOFCOM's bans on military users and uses of a country (e.g. Announcement 2024 No. 46 for
    # the United States) follow the party, not the route: they come for every country.
    destination = destination_risks_read(
        organisation=organisation, countries=dict.fromkeys(c for c in countries if c)
    )
    licence_items, licence_end_users, drawn = set(), set(), (Decimal(0), Decimal(0))
    licence = transaction.licence
    if licence is not None:
        licence_items = set(licence.items.values_list("pk", flat=True))
        licence_end_users = set(licence.end_users.values_list("pk", flat=True))
        totals = (
            LicenceDrawdown.objects.filter(licence=licence, released_at__isnull=True)
            .exclude(transaction=transaction)
            .aggregate(quantity=Sum("quantity"), value=Sum("value"))
        )
        drawn = (totals["quantity"] or Decimal(0), totals["value"] or Decimal(0))
    return ReviewContext(
        transaction=transaction,
        lines=lines,
        parties=parties,
        current_version_ids=current_ids,
        current_versions=versions,
        framework=framework,
        red_flags=red_flags,
        answers=answers,
        euc_documents=euc_documents,
        destination_risks=destination.by_country,
        military_bans=destination.military_bans,
        licence_item_ids=licence_items,
        licence_end_user_ids=licence_end_users,
        licence_drawn=drawn,
        today=today,
    )


def hit_is_decided(hit) -> bool:
    try:
        return hit.adjudication is not None
    except Adjudication.DoesNotExist:
        return False


# --- red-flag answers from data ---------------------------------------------------------------


def _hits_on(ctx: ReviewContext, prefill: str, roles=None):
    """(true matches, open hits) on lists of one kind, over the given party roles."""
    matches, open_hits = [], []
    for party in ctx.parties:
        if roles and party.link.role not in roles:
            continue
        matches += [(party, h) for h in party.true_matches if _list_kind(h.list_code) == prefill]
        open_hits += [(party, h) for h in party.open_hits if _list_kind(h.list_code) == prefill]
    return matches, open_hits


def _screening_answer(ctx: ReviewContext, prefill: str) -> tuple[str, Sentence]:
    if prefill == "party_resembles_listed":
        matches = [(p, h) for p in ctx.parties for h in p.true_matches]
        open_hits = [(p, h) for p in ctx.parties for h in p.open_hits]
    else:
        matches, open_hits = _hits_on(ctx, prefill)
    if matches:
        party, hit = matches[0]
        return Answer.YES, say("%(party)s is a confirmed match for %(name)s on %(list)s.") % {
            "party": party.link.party,
            "name": hit.matched_name,
            "list": hit.list_code,
        }
    if open_hits:
        party, hit = open_hits[0]
        return Answer.UNKNOWN, say("%(party)s has an undecided hit on %(list)s.") % {
            "party": party.link.party,
            "list": hit.list_code,
        }
    if not ctx.parties or any(p.status in ("not_screened", "stale") for p in ctx.parties):
        return Answer.UNKNOWN, say("Not every party is screened on the current lists yet.")
    return Answer.NO, say("Every party is screened on the current lists without such a hit.")


def _prefill(ctx: ReviewContext, code: str) -> tuple[str, Sentence] | None:
    """The answer the data gives to a red-flag question, with the reason; None: no answer."""
    transaction = ctx.transaction
    if code in (
        "party_on_cn_control_list",
        "party_on_cn_watch_list",
        "party_on_uel",
        "party_resembles_listed",
    ):
        return _screening_answer(ctx, code)
    if code == "euc_invalid":
        if transaction.euc_valid_until and transaction.euc_valid_until < ctx.today:
            return Answer.YES, say("The end-user certificate expired on %(date)s.") % {
                "date": transaction.euc_valid_until.isoformat()
            }
        if ctx.euc_documents and transaction.euc_valid_until:
            return Answer.NO, say("A certificate is attached, valid until %(date)s.") % {
                "date": transaction.euc_valid_until.isoformat()
            }
        if ctx.is_controlled:
            return Answer.UNKNOWN, say("No valid end-user certificate is recorded yet.")
        return None
    if code == "forwarder_or_trader_as_end_user":
        end_users = ctx.parties_in(PartyRole.END_USER)
        if not end_users:
            return Answer.UNKNOWN, say("No end user is named.")
        odd = [p.link.party for p in end_users if p.link.party.party_type in NOT_END_USER_TYPES]
        if odd:
            return Answer.YES, say("The end user %(party)s is registered as %(type)s.") % {
                "party": odd[0],
                "type": odd[0].party_type,
            }
        return Answer.NO, say("The end user is not registered as a forwarder, bank or agent.")
    if code == "free_trade_zone":
        candidates = ctx.parties_in(PartyRole.END_USER, PartyRole.CONSIGNEE)
        for party in candidates:
            address = (party.link.party.address or "").casefold()
            if any(word in address for word in FREE_TRADE_ZONE_WORDS):
                return Answer.YES, say(
                    "The address of %(party)s is in a free trade or bonded zone."
                ) % {"party": party.link.party}
        if not candidates:
            return Answer.UNKNOWN, say("No end user or consignee is named.")
        return Answer.NO, say(
            "No free-zone or bonded-area address among the end user and consignee."
        )
    if code == "military_end_use_ban":
        return _military_ban_answer(ctx)
    if code == "sensitive_destination":
        severe = [
            r
            for r in ctx.destination_risks.values()
            if r.level in (DestinationRiskLevel.EMBARGO, DestinationRiskLevel.HIGH)
        ]
        if severe:
            return Answer.YES, say("%(country)s: %(level)s destination risk.") % {
                "country": severe[0].country,
                "level": severe[0].level,
            }
        if ctx.destination_risks:
            risk = next(iter(ctx.destination_risks.values()))
            return Answer.UNKNOWN, say(
                "%(country)s: %(level)s destination risk; check the route."
            ) % {
                "country": risk.country,
                "level": risk.level,
            }
        return Answer.NO, say("No destination or transit country on the destination risk list.")
    return None


def _mentions_military(text: str) -> bool:
    text = (text or "").casefold()
    return any(word in text for word in MILITARY_WORDS)


def _military_ban_answer(ctx: ReviewContext) -> tuple[str, Sentence]:
    """The question on MOFCOM bans on military users and uses of a country: every party's country
    and type count, not only the destination and the route, so a defence end user in a banned
    country is caught when the goods are shipped to it through a third country."""
    transaction = ctx.transaction
    route = [transaction.destination_country.code, *[c.code for c in transaction.transit_countries]]
    in_banned = [p for p in ctx.parties if p.link.party.country.code in ctx.military_bans]
    for screened in in_banned:
        party = screened.link.party
        if party.military_user or _mentions_military(f"{party.name} {party.name_latin}"):
            return Answer.YES, say(
                "%(party)s (%(country)s) is a military user; MOFCOM bans dual-use exports to "
                "military users of %(country)s."
            ) % {"party": party, "country": party.country.code}
    banned_route = [code for code in route if code in ctx.military_bans]
    if (in_banned or banned_route) and _mentions_military(transaction.end_use):
        country = in_banned[0].link.party.country if in_banned else None
        return Answer.YES, say(
            "The stated end use is military, and %(country)s is covered by a MOFCOM ban on "
            "military users and uses."
        ) % {"country": country.code if country else ctx.military_bans[banned_route[0]].country}
    if in_banned:
        party = in_banned[0].link.party
        return Answer.UNKNOWN, say(
            "%(party)s is in %(country)s, covered by a MOFCOM ban on military users and uses: "
            "confirm that it is not a military user and the use is not military."
        ) % {"party": party, "country": party.country.code}
    if banned_route:
        return Answer.UNKNOWN, say(
            "The goods go to or through %(country)s, covered by a MOFCOM ban on military users and "
            "uses: confirm who uses them in the end."
        ) % {"country": ctx.military_bans[banned_route[0]].country}
    return Answer.NO, say(
        "No party, destination or transit country is covered by a MOFCOM ban on military users "
        "and uses."
    )


def red_flags_prefill(*, ctx: ReviewContext) -> int:
    """Write the answers the data gives. A person's answer stays, unless the data now says yes
    (a person cannot answer away a confirmed list match). A changed answer loses its resolution.
    Returns the number of answers written."""
    now = timezone.now()
    written = 0
    for flag in ctx.red_flags:
        if not flag.prefill:
            continue
        result = _prefill(ctx, flag.prefill)
        if result is None:
            continue
        answer_value, note = result
        answer = ctx.answers.get(flag.pk)
        if answer is None:
            answer = RedFlagAnswer(
                organisation_id=ctx.transaction.organisation_id,
                transaction=ctx.transaction,
                red_flag=flag,
            )
        elif not answer.prefilled and answer.answer and answer_value != Answer.YES:
            continue
        if (
            answer.pk
            and answer.prefilled
            and answer.answer == answer_value
            and (answer.note_code, answer.note_params, answer.note) == (note.code, note.params, "")
        ):
            continue
        if answer.answer != answer_value:
            answer.resolution, answer.resolved_by, answer.resolved_at = "", None, None
        # The system's reason is stored as its code: shown in the reader's language.
        answer.answer, answer.note, answer.prefilled = answer_value, "", True
        answer.note_code, answer.note_params = note.code, note.params
        answer.answered_by, answer.answered_at = None, now
        answer.save()
        ctx.answers[flag.pk] = answer
        written += 1
    return written


# --- the five checks --------------------------------------------------------------------------


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
                "items": ", ".join(
                    f"{line.item} ({line.item.current_classification})"
                    for line in ctx.controlled_lines
                )
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
                    % {"party": name, "lists": ", ".join(party.stale_lists)},
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
                % {"currency": licence.currency, "other": ", ".join(sorted(currencies))},
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


def _risk_level(ctx: ReviewContext, checks: list[Check]) -> str:
    raised = [
        (flag, ctx.answers[flag.pk])
        for flag in ctx.red_flags
        if flag.pk in ctx.answers and ctx.answers[flag.pk].is_raised
    ]
    severe_destination = any(
        r.level in (DestinationRiskLevel.EMBARGO, DestinationRiskLevel.HIGH)
        for r in ctx.destination_risks.values()
    )
    if (
        severe_destination
        or any(flag.severity != RedFlag.Severity.MEDIUM for flag, _a in raised)
        or any(p.true_matches for p in ctx.parties)
    ):
        return RiskLevel.HIGH
    if (
        ctx.is_controlled
        or ctx.destination_risks
        or raised
        or any(p.open_hits for p in ctx.parties)
    ):
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def transaction_refresh(*, transaction: Transaction) -> list[Check]:
    """Re-derive the pre-filled red-flag answers and the queue columns (risk, checks open, end
    user, value) from the current data. Idempotent. Returns the checklist."""
    ctx = review_context(transaction)
    red_flags_prefill(ctx=ctx)
    checks = review_checklist(ctx)
    end_users = ctx.parties_in(PartyRole.END_USER)
    currencies = {line.currency for line in ctx.lines}
    values = {
        "risk_level": _risk_level(ctx, checks),
        "checks_open": sum(1 for check in checks if not check.passed),
        "end_user_name": str(end_users[0].link.party)[:300] if end_users else "",
        "total_value": sum((line.value for line in ctx.lines), Decimal(0)),
        "currency": currencies.pop() if len(currencies) == 1 else ("" if not currencies else "*"),
    }
    Transaction.objects.filter(pk=transaction.pk).update(**values)
    for name, value in values.items():
        setattr(transaction, name, value)
    return checks
