"""General-licence readiness beyond the nine elements (《两用物项出口管制条例》第十六条第二款 and
第二十条): relatively stable export channels, the three written descriptions of the application
pack, and the applicant's answers to the disqualifying situations of Art. 20. Read by the
readiness page next to the export record and end users (icp.selectors.overview)."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from core.models import Job
from icp.models import DISQUALIFIER_QUESTIONS, Disqualifier, DisqualifierAnswer
from icp.selectors.licence_pack import LICENCE_PACK_JOB_KIND
from icp.selectors.overview import (
    STABLE_SHARE,
    ElementStatus,
    ReadinessCheck,
    general_licence_conditions,
    general_licence_readiness,
    programme_overview,
    shipped_links,
)
from trade.models import PartyRole

# Company rules: the three descriptions are generated afresh for an application (at most 90 days
# old), and the answers to the Art. 20 questions are confirmed at least once a year.
PACK_VALIDITY = datetime.timedelta(days=90)
ANSWER_VALIDITY = datetime.timedelta(days=365)


def _day(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def export_channels_check(
    *, organisation, today: datetime.date | None = None, links: list[tuple] | None = None
) -> ReadinessCheck:
    """Relatively stable export channels: the importer of each shipment of the last two years
    (the end user itself when it bought directly), and how many shipments went through an
    importer used more than once (company rule: at least half). One query, none when the
    links (icp.selectors.overview.shipped_links) are given."""
    if links is None:
        links = shipped_links(organisation=organisation, today=today)
    channel_of: dict[int, tuple] = {}
    for transaction_id, role, party_id in links:
        if role == PartyRole.BUYER or transaction_id not in channel_of:
            channel_of[transaction_id] = (role, party_id)
    total = len(channel_of)
    per_channel = Counter(party for _role, party in channel_of.values())
    repeat = {party for party, count in per_channel.items() if count > 1}
    through_repeat = sum(per_channel[party] for party in repeat)
    share = round(100 * through_repeat / total) if total else 0
    return ReadinessCheck(
        label=gettext(
            "Relatively stable export channels: importers used repeatedly (Regulations on "
            "dual-use items, Art. 16)"
        ),
        met=total > 0 and share >= 100 * STABLE_SHARE,
        detail=gettext(
            "%(repeat)d of %(channels)d importers (or end users buying directly) were used more "
            "than once; %(share)d%% of the shipments of the last two years went through them "
            "(company rule: at least half)."
        )
        % {"repeat": len(repeat), "channels": len(per_channel), "share": share},
        url=reverse("transactions:queue"),
    )


def licence_pack_check(*, organisation, now=None) -> ReadinessCheck:
    """The three written descriptions of Art. 16, para. 2 (the application pack), generated in
    the last 90 days."""
    now = now or timezone.now()
    latest = (
        Job.objects.filter(
            organisation=organisation,
            kind=LICENCE_PACK_JOB_KIND,
            status=Job.Status.SUCCEEDED,
        )
        .order_by("-finished_at", "-created_at")
        .first()
    )
    label = gettext(
        "The three written descriptions for the application: operation of the compliance "
        "programme, licences applied for and used, export channels and end users (Regulations "
        "on dual-use items, Art. 16)"
    )
    url = reverse("icp:licence_pack_home")
    if latest is None:
        return ReadinessCheck(label=label, met=False, detail=gettext("Not generated yet."), url=url)
    generated = latest.finished_at or latest.created_at
    params = latest.params or {}
    detail = gettext("Generated on %(day)s for the period %(start)s to %(end)s.") % {
        "day": _day(generated),
        "start": formats.date_format(
            datetime.date.fromisoformat(params.get("start", "")), "DATE_FORMAT"
        )
        if params.get("start")
        else "—",
        "end": formats.date_format(
            datetime.date.fromisoformat(params.get("end", "")), "DATE_FORMAT"
        )
        if params.get("end")
        else "—",
    }
    fresh = now - generated <= PACK_VALIDITY
    if not fresh:
        detail += " " + gettext("Older than 90 days: generate them again for the application.")
    return ReadinessCheck(label=label, met=fresh, detail=detail, url=url)


def disqualifier_answers(*, organisation) -> dict[str, DisqualifierAnswer]:
    return {
        row.question: row
        for row in DisqualifierAnswer.objects.for_organisation(organisation).select_related(
            "answered_by"
        )
    }


def disqualifier_checks(
    *, organisation, answers: dict | None = None, now=None
) -> list[ReadinessCheck]:
    """One check per disqualifying situation of Art. 20, para. 1 (items 1 to 3): met when the
    company answered "no" in the last twelve months."""
    now = now or timezone.now()
    answers = disqualifier_answers(organisation=organisation) if answers is None else answers
    url = reverse("icp:readiness") + "#disqualifiers"
    checks = []
    for question in Disqualifier:
        label = str(DISQUALIFIER_QUESTIONS[question])
        row = answers.get(question.value)
        if row is None:
            checks.append(
                ReadinessCheck(label=label, met=False, detail=gettext("Not answered yet."), url=url)
            )
            continue
        who = row.answered_by.get_full_name() or str(row.answered_by)
        if row.applies:
            detail = gettext(
                "Answered yes by %(who)s on %(day)s: a general licence may not be applied for "
                "(Regulations on dual-use items, Art. 20)."
            ) % {"who": who, "day": _day(row.answered_at)}
            met = False
        else:
            detail = gettext("Answered no by %(who)s on %(day)s.") % {
                "who": who,
                "day": _day(row.answered_at),
            }
            met = now - row.answered_at <= ANSWER_VALIDITY
            if not met:
                detail += " " + gettext("Older than a year: confirm the answer again.")
        checks.append(ReadinessCheck(label=label, met=met, detail=detail, url=url))
    return checks


@dataclass
class Readiness:
    """Every check of the readiness page, in its order: the conditions of Art. 16, the
    disqualifying situations of Art. 20, the nine elements."""

    conditions: list[ReadinessCheck]
    disqualifiers: list[ReadinessCheck]
    elements: list[ReadinessCheck]
    answers: dict[str, DisqualifierAnswer]

    @property
    def checks(self) -> list[ReadinessCheck]:
        return self.conditions + self.disqualifiers + self.elements

    @property
    def met(self) -> int:
        return sum(check.met for check in self.checks)

    @property
    def total(self) -> int:
        return len(self.checks)


def general_licence_checks(
    *, organisation, statuses: list[ElementStatus] | None = None
) -> Readiness:
    """What the readiness page shows and the overview counts. Given the overview's statuses,
    their figures are reused (the number shipped is counted with the E4 status): three queries
    besides them."""
    if statuses is None:
        statuses = programme_overview(organisation=organisation)
    shipped_total = next(
        (status.known.get("shipped_recent") for status in statuses if status.code == "E4"), None
    )
    links = shipped_links(organisation=organisation)
    record, end_users = general_licence_conditions(
        organisation=organisation, shipped_total=shipped_total, links=links
    )
    answers = disqualifier_answers(organisation=organisation)
    return Readiness(
        conditions=[
            record,
            export_channels_check(organisation=organisation, links=links),
            end_users,
            licence_pack_check(organisation=organisation),
        ],
        disqualifiers=disqualifier_checks(organisation=organisation, answers=answers),
        elements=general_licence_readiness(statuses=statuses),
        answers=answers,
    )
