"""What a transaction's review reads: `review_context` loads everything a check needs in a fixed
number of queries (independent of the number of items, parties or flags)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from accounts.profiles import red_flags_for
from records.models import Document
from reference.models import RedFlag
from reference.selectors import current_framework
from screening.models import Adjudication, HitDecision, Screening, ScreeningHit
from screening.services.index import current_versions
from trade.hooks import DestinationRiskFact, destination_risks_read
from trade.models import (
    Transaction,
    TransactionParty,
)
from trade.models.licence import LicenceDrawdown
from trade.review_text import Sentence
from trade.services.licence_path import (
    NEEDS_LICENCE,
    path_of,
)

# Which screening lists answer which red-flag question. MOFCOM publishes its lists as notices;
# organisations name them in the app, so a list is recognised by words in its code.
CN_LIST_KEYWORDS = {
    "party_on_uel": ("uel", "unreliable"),
    "party_on_cn_watch_list": ("watch",),
    "party_on_cn_control_list": ("control", "ecl"),
}


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


def list_kind(code: str) -> str | None:
    """Which red-flag question a screening list answers (a key of CN_LIST_KEYWORDS), by its code."""
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
        red_flags_for(
            transaction.organisation,
            list(
                RedFlag.objects.filter(framework=framework, merged_into="").order_by(
                    "order", "ref_id"
                )
            ),
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
