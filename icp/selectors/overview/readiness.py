"""The readiness check for a general licence (Dual-Use Regulations 2024, Art. 16) and the
conditions of the one held."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from trade.models import PartyRole, Transaction, TransactionParty

from .common import OK, STABLE_SHARE, ElementStatus
from .operations import _shipped_recent_q


@dataclass
class ReadinessCheck:
    label: str | Promise
    met: bool
    detail: str
    url: str


_READINESS = [
    ("E1", _("A compliance policy statement is published and acknowledged")),
    ("E2", _("A compliance organisation with the authority to stop exports")),
    ("E3", _("A risk assessment approved in the last 12 months")),
    ("E4", _("Every party screened and every potential match decided")),
    ("E5", _("Response plans for the scenarios the Regulations name")),
    ("E6", _("Staff trained and current")),
    ("E7", _("A compliance audit with its findings followed up")),
    ("E8", _("Records kept for at least five years")),
    ("E9", _("A written ICP manual")),
]


def shipped_links(*, organisation, today: datetime.date | None = None) -> list[tuple]:
    """(transaction id, role, party id) of the buyers and end users of the approved exports
    shipped in the last two years: what the stability of channels and of end users is read
    from. One query."""
    today = today or timezone.localdate()
    shipped = Transaction.objects.for_organisation(organisation).filter(_shipped_recent_q(today))
    return list(
        TransactionParty.objects.filter(
            transaction__in=shipped, role__in=[PartyRole.BUYER, PartyRole.END_USER]
        )
        .order_by()
        .values_list("transaction_id", "role", "party_id")
    )


def general_licence_conditions(
    *,
    organisation,
    today: datetime.date | None = None,
    shipped_total: int | None = None,
    links: list[tuple] | None = None,
) -> list[ReadinessCheck]:
    """The conditions of REGS Art. 16(2) besides the ICP itself, read from the transactions: a
    record of dual-use exports, and relatively stable end users. Two queries, none when the
    number shipped (the overview's E4 status counts it) and the links are given."""
    today = today or timezone.localdate()
    if shipped_total is None:
        shipped_total = (
            Transaction.objects.for_organisation(organisation)
            .filter(_shipped_recent_q(today))
            .count()
        )
    total = shipped_total
    if links is None:
        links = shipped_links(organisation=organisation, today=today)
    per_end_user: dict[int, set] = {}
    for transaction_id, role, party_id in links:
        if role == PartyRole.END_USER:
            per_end_user.setdefault(party_id, set()).add(transaction_id)
    repeat = {party for party, transactions in per_end_user.items() if len(transactions) > 1}
    to_repeat = {t for party in repeat for t in per_end_user[party]}
    share = round(100 * len(to_repeat) / total) if total else 0
    url = reverse("transactions:queue")
    return [
        ReadinessCheck(
            label=gettext("A record of dual-use exports (Regulations on dual-use items, Art. 16)"),
            met=total > 0,
            detail=ngettext(
                "%(count)d approved export shipped in the last two years.",
                "%(count)d approved exports shipped in the last two years.",
                total,
            )
            % {"count": total},
            url=url,
        ),
        ReadinessCheck(
            label=gettext("Relatively stable end users (Regulations on dual-use items, Art. 16)"),
            met=total > 0 and share >= 100 * STABLE_SHARE,
            detail=gettext(
                "%(repeat)d of %(end_users)d end users were supplied more than once; they "
                "received %(share)d%% of the shipments of the last two years (company rule: at "
                "least half)."
            )
            % {"repeat": len(repeat), "end_users": len(per_end_user), "share": share},
            url=url,
        ),
    ]


def general_licence_readiness(*, statuses: list[ElementStatus]) -> list[ReadinessCheck]:
    """What MOFCOM expects of an ICP that "is established and runs well" (REGS Art. 16), element
    by element: met only when the element's status is fully in order."""
    by_code = {status.code: status for status in statuses}
    return [
        ReadinessCheck(
            label=label,
            met=by_code[code].state == OK,
            detail=" ".join([str(by_code[code].headline), *map(str, by_code[code].facts)]),
            url=by_code[code].url,
        )
        for code, label in _READINESS
    ]
