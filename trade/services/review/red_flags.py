"""The red-flag questions answered from the data (screening hits, party addresses and types,
destination risks, military bans), pre-filled until a person answers them."""

from django.utils import timezone

from reference.choices import DestinationRiskLevel
from screening.models import PartyType
from trade.models import (
    Answer,
    PartyRole,
    RedFlagAnswer,
)
from trade.review_text import Sentence, say

from .context import ReviewContext, list_kind

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


def _hits_on(ctx: ReviewContext, prefill: str, roles=None):
    """(true matches, open hits) on lists of one kind, over the given party roles."""
    matches, open_hits = [], []
    for party in ctx.parties:
        if roles and party.link.role not in roles:
            continue
        matches += [(party, h) for h in party.true_matches if list_kind(h.list_code) == prefill]
        open_hits += [(party, h) for h in party.open_hits if list_kind(h.list_code) == prefill]
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
