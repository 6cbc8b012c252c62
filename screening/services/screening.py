"""Screening: run the engine over the lists an organisation sees, store the result for good,
and record people's decisions on the hits."""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from rapidfuzz import fuzz

from accounts.models import Membership
from accounts.roles import Role
from core.alerts import Alert, alert_raise
from core.mail import mail_queue
from screening.engine import DEFAULT_THRESHOLD, Decision, normalise_name, search_many
from screening.models import (
    Adjudication,
    HitDecision,
    ListedEntity,
    Party,
    Screening,
    ScreeningHit,
    ScreeningSettings,
)
from screening.signals import hit_decided

from .index import current_versions, version_index_and_hash
from .search_cache import search_key, search_results_get, search_results_put

logger = logging.getLogger(__name__)

MAX_HITS = 20
MAX_NAME_LENGTH = 300
MAX_ADDRESS_LENGTH = 500
_DECISION_RANK = {Decision.CLEAR: 0, Decision.POTENTIAL_MATCH: 1, Decision.MATCH: 2}


def screening_threshold(organisation) -> float:
    row = ScreeningSettings.objects.filter(organisation=organisation).first()
    return row.threshold if row else DEFAULT_THRESHOLD


def _fold(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def subject_key(*, names: list[str], country: str, party=None) -> str:
    """Identifies what was screened. It changes when the party's names or country change, so a
    remembered false-positive decision lapses then."""
    basis = "|".join(sorted(_fold(n) for n in names)) + f"|{(country or '').upper()}"
    if party is not None:
        basis = f"party:{party.pk}|{basis}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def _address_reason(query_address: str, entity: ListedEntity) -> dict | None:
    if not query_address or not entity.addresses:
        return None
    query = normalise_name(query_address).joined or _fold(query_address)
    best = max(
        fuzz.token_set_ratio(query, normalise_name(a).joined or _fold(a)) for a in entity.addresses
    )
    if best < 75:
        return None
    return {"code": "address_similar", "params": {"similarity": round(best)}, "effect": 0.0}


@dataclass
class _Found:
    entity_pk: int
    query_name: str
    matched_name: str
    score: float
    decision: str
    reasons: list


def _search(*, indexes, names, country, entity_type, threshold, today) -> list[_Found]:
    """The best hits of one party's names over the mapped indexes of the current versions."""
    best: dict[int, _Found] = {}
    for name in names:
        # One candidate search over all the versions (entity keys are database ids, unique
        # across versions).
        for hit in search_many(
            indexes,
            name,
            country=country or None,
            entity_type=entity_type,
            threshold=threshold,
            limit=MAX_HITS,
            on=today,
        ):
            pk = int(hit.entity_key)
            if pk not in best or hit.score > best[pk].score:
                best[pk] = _Found(
                    pk,
                    name,
                    hit.alias.text,
                    hit.score,
                    str(hit.decision),
                    [r.as_dict() for r in hit.reasons],
                )
    return sorted(best.values(), key=lambda f: (-f.score, f.entity_pk))[:MAX_HITS]


def _validate_query(names, country, address):
    names = [" ".join(n.split()) for n in names if n and n.strip()]
    if not names:
        raise ValidationError({"name": _("Enter a name to screen.")})
    if any(len(n) > MAX_NAME_LENGTH for n in names):
        raise ValidationError({"name": _("A name may have at most 300 characters.")})
    if address and len(address) > MAX_ADDRESS_LENGTH:
        raise ValidationError({"address": _("The address may have at most 500 characters.")})
    country = (country or "").upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationError({"country": _("Use an ISO 3166 alpha-2 country code such as CN.")})
    return names, country


@dataclass
class PartyQuery:
    """One party to screen: its names (any script), country, address, and the register party
    when there is one."""

    names: list[str]
    country: str = ""
    address: str = ""
    party: Party | None = None
    entity_type: str | None = None


def screening_run(
    *,
    organisation,
    names: list[str],
    country: str = "",
    address: str = "",
    source: str,
    user=None,
    api_token=None,
    job=None,
    party=None,
    entity_type: str | None = None,
) -> Screening:
    """Screen one party (all its names) against the current versions of every list the
    organisation sees, and store the screening with its hits. Never changes earlier records."""
    query = PartyQuery(names, country, address, party, entity_type)
    return screenings_run(
        organisation=organisation,
        queries=[query],
        source=source,
        user=user,
        api_token=api_token,
        job=job,
    )[0]


def screenings_run(
    *,
    organisation,
    queries: list[PartyQuery],
    source: str,
    user=None,
    api_token=None,
    job=None,
) -> list[Screening]:
    """Screen several parties in one go: each gets its own stored screening with its hits, its
    event-log entry and its list versions, exactly as ``screening_run`` stores one, but the
    batch reads the settings, the lists and the listed entities once, searches each mapped
    index in memory, and writes everything in one transaction with one lock of the event-log
    head. The number of queries does not grow with the batch. Raises ``ValidationError`` (no
    screening stored) when any party is invalid, ``ScreeningNotReady`` when an index is being
    built."""
    cleaned = []
    for query in queries:
        names, country = _validate_query(query.names, query.country, query.address)
        if query.party is not None and query.party.organisation_id != organisation.pk:
            raise ValidationError(_("This party belongs to another organisation."))
        cleaned.append((query, names, country))
    threshold = screening_threshold(organisation)
    versions = current_versions(organisation)
    indexes, hashes = [], []
    for version in versions:
        index, content_hash = version_index_and_hash(version)
        indexes.append(index)
        hashes.append(content_hash)
    today = timezone.localdate()  # delisted parties drop out on their delisting day
    search_keys = [
        search_key(
            organisation_id=organisation.pk,
            index_hashes=hashes,
            names=names,
            country=country,
            entity_type=query.entity_type,
            threshold=threshold,
            today=today,
        )
        for query, names, country in cleaned
    ]
    # A party already screened today against the same index files: its results, not a search.
    known = search_results_get(search_keys)
    found, fresh = [], {}
    for (query, names, country), key in zip(cleaned, search_keys, strict=True):
        if key not in known:
            known[key] = fresh[key] = _search(
                indexes=indexes,
                names=names,
                country=country,
                entity_type=query.entity_type,
                threshold=threshold,
                today=today,
            )
        found.append(known[key])
    search_results_put(fresh, today=today)
    keys = [
        subject_key(names=names, country=country, party=query.party)
        for query, names, country in cleaned
    ]
    entities = (
        ListedEntity.objects.select_related("version__screening_list")
        .only("entity_id", "content_hash", "addresses", "version__screening_list__code")
        .in_bulk({f.entity_pk for party_found in found for f in party_found})
    )
    remembered = _remembered_false_positives_many(
        organisation=organisation,
        keys=set(keys),
        content_hashes={entity.content_hash for entity in entities.values()},
    )
    screenings = [
        Screening(
            organisation=organisation,
            source=source,
            query_name=names[0],
            query_names=names,
            query_country=country,
            query_address=query.address,
            subject_key=key,
            party=query.party,
            threshold=threshold,
            decision=max(
                (f.decision for f in party_found),
                key=lambda d: _DECISION_RANK[Decision(d)],
                default=HitDecision.CLEAR,
            ),
            requested_by=user,
            api_token=api_token,
            job=job,
        )
        for (query, names, country), key, party_found in zip(cleaned, keys, found, strict=True)
    ]
    with transaction.atomic():
        # Each screening's creation is logged by the regulated bulk path (records/bulk.py).
        Screening.objects.bulk_create(screenings)
        through = Screening.list_versions.through
        # In ascending version ids, as the related manager's add() (and a restore) inserts them.
        by_id = sorted(versions, key=lambda version: version.pk)
        through.objects.bulk_create(
            [
                through(screening_id=screening.pk, listversion_id=version.pk)
                for screening in screenings
                for version in by_id
            ]
        )
        hits = []
        for screening, (query, _names, _country), party_found in zip(
            screenings, cleaned, found, strict=True
        ):
            screening_hits = []
            for rank, f in enumerate(party_found, start=1):
                entity = entities[f.entity_pk]
                reasons = list(f.reasons)
                address_reason = _address_reason(query.address, entity)
                if address_reason:
                    reasons.append(address_reason)
                screening_hits.append(
                    ScreeningHit(
                        screening=screening,
                        entity=entity,
                        rank=rank,
                        list_code=entity.version.screening_list.code,
                        entity_key=entity.entity_id,
                        query_name=f.query_name,
                        matched_name=f.matched_name[:500],
                        score=f.score,
                        decision=f.decision,
                        reasons=reasons,
                        remembered=remembered.get((screening.subject_key, entity.content_hash))
                        if f.decision != HitDecision.CLEAR
                        else None,
                    )
                )
            # The hits as read back (rank order), without a query per screening.
            screening._found_hits = screening_hits  # type: ignore[attr-defined]  # a cache for the caller, not a field
            hits += screening_hits
        ScreeningHit.objects.bulk_create(hits, batch_size=1000)
    logger.info(
        "screenings=%s first=%s org=%s source=%s hits=%s alerts=%s",
        len(screenings),
        screenings[0].pk if screenings else None,
        organisation.slug,
        source,
        len(hits),
        sum(1 for s in screenings if s.decision != HitDecision.CLEAR),
    )
    return screenings


def screening_hits(screening: Screening) -> list[ScreeningHit]:
    """The hits of a screening, in rank order (those of a screening just stored, from memory)."""
    found = getattr(screening, "_found_hits", None)
    return list(found) if found is not None else list(screening.hits.all())


def _remembered_false_positives_many(*, organisation, keys, content_hashes) -> dict:
    """The latest false-positive decision per (subject, entity content), in one query."""
    if not content_hashes or not keys:
        return {}
    decisions = (
        Adjudication.objects.for_organisation(organisation)
        .filter(
            outcome=Adjudication.Outcome.FALSE_POSITIVE,
            hit__screening__subject_key__in=keys,
            hit__entity__content_hash__in=content_hashes,
        )
        .select_related("hit__entity", "hit__screening")
        .order_by("decided_at")
    )
    return {(a.hit.screening.subject_key, a.hit.entity.content_hash): a for a in decisions}


def hit_adjudicate(
    *, hit: ScreeningHit, organisation, user, outcome: str, reason: str
) -> Adjudication:
    """Record a compliance manager's decision on a hit. One decision per hit, never changed."""
    if hit.screening.organisation_id != organisation.pk:
        raise ValidationError(_("This hit belongs to another organisation."))
    if outcome not in Adjudication.Outcome.values:
        raise ValidationError({"outcome": _("Choose true match or false positive.")})
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why, in a sentence a reviewer can follow.")})
    if Adjudication.objects.filter(hit=hit).exists():
        raise ValidationError(_("This hit has already been decided."))
    with transaction.atomic():
        adjudication = Adjudication.objects.create(
            organisation=organisation, hit=hit, outcome=outcome, reason=reason, decided_by=user
        )
        # The party register (trade) refreshes the party's badge in this transaction.
        hit_decided.send(sender=Adjudication, hit=hit, adjudication=adjudication)
    return adjudication


def alert_hits_open(organisation):
    """Hits that still need a decision: alerts of each subject's latest screening with neither
    a decision nor a remembered false-positive decision."""
    newer = Screening.objects.filter(
        organisation=organisation,
        subject_key=OuterRef("screening__subject_key"),
        created_at__gt=OuterRef("screening__created_at"),
    )
    return (
        ScreeningHit.objects.filter(
            screening__organisation=organisation,
            decision__in=[HitDecision.POTENTIAL_MATCH, HitDecision.MATCH],
            remembered__isnull=True,
            adjudication__isnull=True,
        )
        .exclude(Exists(newer))
        .select_related("screening__party", "entity")
        .order_by("-screening__created_at", "rank")
    )


def new_alert_hits(screening: Screening) -> list[ScreeningHit]:
    """Alert hits of `screening` that the subject's previous screening did not already have
    (same entity content), and that no remembered decision covers."""
    previous = (
        Screening.objects.filter(
            organisation_id=screening.organisation_id,
            subject_key=screening.subject_key,
            created_at__lt=screening.created_at,
        )
        .order_by("-created_at")
        .first()
    )
    known = set()
    if previous is not None:
        known = set(
            previous.hits.exclude(decision=HitDecision.CLEAR)
            .order_by()  # a set: see new_alert_hits_many
            .values_list("entity__content_hash", flat=True)
        )
    return [
        hit
        for hit in screening.hits.select_related("entity").exclude(decision=HitDecision.CLEAR)
        if hit.remembered_id is None and hit.entity.content_hash not in known
    ]


def new_alert_hits_many(screenings: list[Screening]) -> list[ScreeningHit]:
    """``new_alert_hits`` for a batch just stored by ``screenings_run``, in two queries: each
    screening's previous screening of the same subject, and that one's alert entities."""
    screenings = [s for s in screenings if any(h.is_alert for h in screening_hits(s))]
    if not screenings:
        return []
    previous_of = Screening.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        subject_key=OuterRef("subject_key"),
        created_at__lt=OuterRef("created_at"),
    ).order_by("-created_at", "-pk")
    previous = dict(
        Screening.objects.filter(pk__in=[s.pk for s in screenings])
        .annotate(previous=Subquery(previous_of.values("pk")[:1]))
        .values_list("pk", "previous")
    )
    known: dict[int, set] = {}
    for screening_id, content_hash in (
        ScreeningHit.objects.filter(screening_id__in=[p for p in previous.values() if p])
        .exclude(decision=HitDecision.CLEAR)
        .order_by()  # a set: the hits' default order would join and sort their screenings
        .values_list("screening_id", "entity__content_hash")
    ):
        known.setdefault(screening_id, set()).add(content_hash)
    return [
        hit
        for screening in screenings
        for hit in screening_hits(screening)
        if hit.is_alert
        and hit.remembered_id is None
        and hit.entity.content_hash not in known.get(previous[screening.pk], ())
    ]


def hits_notify(*, organisation, hits: list[ScreeningHit], context_line: str = "") -> int:
    """E-mail the organisation's compliance managers about new hits, through Celery after the
    commit (`core.mail`): the API answers at once even when the mail server is slow or refuses.
    Returns the number of recipients."""
    if not hits:
        return 0
    config = ScreeningSettings.objects.filter(organisation=organisation).first()
    if config is not None and not config.notify_compliance_managers:
        return 0
    alert_raise(
        sender="screening",
        alert=Alert(
            organisation_id=organisation.pk,
            kind="screening_hits",
            message=_lazy("New screening hits need a compliance decision: %(count)s."),
            params={"count": len(hits)},
            path=reverse("screening:queue"),
        ),
    )
    recipients = list(
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.COMPLIANCE_MANAGER)
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "[ICP] %(count)d new screening hit needs a decision",
            "[ICP] %(count)d new screening hits need a decision",
            len(hits),
        ) % {"count": len(hits)}
        body = render_to_string(
            "screening/emails/new_hits.txt",
            {
                "organisation": organisation,
                "hits": hits[:50],
                "more": max(0, len(hits) - 50),
                "context_line": context_line,
                "site_url": getattr(settings, "ICP_SITE_URL", ""),
            },
        )
    return mail_queue(
        subject=subject, body=body, recipients=recipients, from_email=settings.DEFAULT_FROM_EMAIL
    )
