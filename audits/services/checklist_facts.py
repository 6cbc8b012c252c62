"""What the records show for one sampled transaction: the evidence links and the guidance lines
of each of its checks, read from the transaction, its approvals, screenings, documents, licence
drawdowns and reports (checklist.py turns them into checklist items)."""

import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import local_minute_text
from core.i18n import joined
from screening.models import Screening
from trade.models import (
    Approval,
    Classification,
    RedFlagAnswer,
    ReportDuty,
    Transaction,
    TransactionEvent,
    TransactionParty,
)


def _date(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        return local_minute_text(value)
    return value.isoformat()


def sampled_transactions_load(organisation, ids: list[int]) -> list[Transaction]:
    """The sampled transactions with everything their facts read, in a fixed number of queries."""
    return list(
        Transaction.objects.for_organisation(organisation)
        .filter(pk__in=ids)
        .select_related("licence")
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=Approval.objects.select_related("approved_by").order_by(
                    "approved_at", "pk"
                ),
            ),
            Prefetch(
                "events",
                queryset=TransactionEvent.objects.filter(actor__isnull=False).only(
                    "id", "transaction_id", "actor_id", "kind"
                ),
            ),
            Prefetch(
                "red_flag_answers",
                queryset=RedFlagAnswer.objects.filter(
                    Q(answered_by__isnull=False) | Q(resolved_by__isnull=False)
                ).only("id", "transaction_id", "answered_by_id", "resolved_by_id", "answer"),
            ),
            "lines__item",
            Prefetch(
                "lines__item__classifications",
                queryset=Classification.objects.order_by("classified_at", "pk"),
            ),
            Prefetch("parties", queryset=TransactionParty.objects.select_related("party")),
            Prefetch(
                "parties__party__screenings",
                queryset=Screening.objects.order_by("created_at", "pk").prefetch_related(
                    "list_versions"
                ),
            ),
            "drawdowns",
            "post_shipment_duties",
        )
    )


def approval_in_force(txn):
    """The transaction's approval in force (else its last one, else None)."""
    approvals = list(txn.approvals.all())
    current = [a for a in approvals if a.superseded_at is None]
    return (current or approvals or [None])[-1]


def involved_user_ids(txn) -> set[int]:
    """Everyone who created, reviewed or approved the transaction."""
    ids = {txn.created_by_id, txn.sales_approved_by_id}
    ids.update(event.actor_id for event in txn.events.all())
    ids.update(approval.approved_by_id for approval in txn.approvals.all())
    for answer in txn.red_flag_answers.all():
        ids.update((answer.answered_by_id, answer.resolved_by_id))
    ids.discard(None)
    return ids


class Facts:
    """Evidence links and what the records show, for each check of one transaction."""

    def __init__(self, txn, approval, euc_documents, versions_by_list):
        self.txn = txn
        self.approval = approval
        self.approved_at = approval.approved_at if approval else None
        self.euc_documents = euc_documents
        self.versions_by_list = versions_by_list

    def base_links(self) -> list[dict]:
        links = [
            {"kind": "transaction", "label": self.txn.reference, "url": self.txn.get_absolute_url()}
        ]
        if self.approval:
            links.append(
                {
                    "kind": "approval",
                    "label": _date(self.approval.approved_at),
                    "url": f"{self.txn.get_absolute_url()}#approvals",
                }
            )
        return links

    def _not_approved(self) -> str:
        return _("Not approved (state: %(state)s).") % {"state": self.txn.get_state_display()}

    def classified(self):
        links, lines = [], []
        for line in self.txn.lines.all():
            item = line.item
            before = [
                c
                for c in item.classifications.all()
                if self.approved_at is None or c.classified_at <= self.approved_at
            ]
            links.append({"kind": "item", "label": str(item), "url": item.get_absolute_url()})
            if before:
                last = before[-1]
                lines.append(
                    lambda item=item, last=last: (
                        _("%(item)s: classified %(date)s as %(result)s.")
                        % {"item": item, "date": _date(last.classified_at), "result": last}
                    )
                )
            else:
                lines.append(
                    lambda item=item: (
                        _("%(item)s: no classification before approval.") % {"item": item}
                    )
                )
        return links, lines

    def screened(self):
        links, lines = [], []
        seen = set()
        for tparty in self.txn.parties.all():
            party = tparty.party
            if party.pk in seen:
                continue
            seen.add(party.pk)
            before = [
                s
                for s in party.screenings.all()
                if self.approved_at is None or s.created_at <= self.approved_at
            ]
            if not before:
                lines.append(
                    lambda party=party: (
                        _("%(party)s: not screened before approval.") % {"party": party}
                    )
                )
                continue
            screening = before[-1]
            links.append(
                {
                    "kind": "screening",
                    "label": f"{party} · {_date(screening.created_at)}",
                    "url": screening.get_absolute_url(),
                }
            )
            outdated = []
            for version in screening.list_versions.all():
                # A newer version imported before the approval: the party should have been
                # screened again on it.
                cutoff = self.approved_at or timezone.now()
                newer = [
                    v
                    for v in self.versions_by_list.get(version.screening_list_id, [])
                    if v.number > version.number and v.created_at <= cutoff
                ]
                if newer:
                    latest = max(newer, key=lambda v: v.number)
                    outdated.append(
                        f"{latest.screening_list.code} v{version.number} → v{latest.number}"
                    )
            if outdated:
                lines.append(
                    lambda party=party, screening=screening, outdated=outdated: (
                        _(
                            "%(party)s: screened %(date)s; a newer list version was imported "
                            "before the approval (%(versions)s)."
                        )
                        % {
                            "party": party,
                            "date": _date(screening.created_at),
                            "versions": joined(outdated),
                        }
                    )
                )
            else:
                lines.append(
                    lambda party=party, screening=screening: (
                        _(
                            "%(party)s: screened %(date)s on the list versions then current "
                            "(%(count)d lists)."
                        )
                        % {
                            "party": party,
                            "date": _date(screening.created_at),
                            "count": len(screening.list_versions.all()),
                        }
                    )
                )
        return links, lines

    def euc(self):
        txn = self.txn
        links = [
            {"kind": "document", "label": doc.original_name, "url": doc.get_absolute_url()}
            for doc in self.euc_documents
        ]
        lines = []
        if not txn.euc_number and not self.euc_documents:
            lines.append(lambda: _("No end-user certificate recorded."))
        else:
            lines.append(
                lambda: (
                    _("EUC %(number)s issued %(issued)s, valid until %(until)s.")
                    % {
                        "number": txn.euc_number or "—",
                        "issued": _date(txn.euc_issued_on),
                        "until": _date(txn.euc_valid_until),
                    }
                )
            )
            for doc in self.euc_documents:
                late = self.approved_at is not None and doc.uploaded_at > self.approved_at
                if late:
                    lines.append(
                        lambda doc=doc: (
                            _("Certificate %(name)s received %(date)s, after the approval.")
                            % {"name": doc.original_name, "date": _date(doc.uploaded_at)}
                        )
                    )
                else:
                    lines.append(
                        lambda doc=doc: (
                            _("Certificate %(name)s received %(date)s.")
                            % {"name": doc.original_name, "date": _date(doc.uploaded_at)}
                        )
                    )
            if (
                self.approved_at
                and txn.euc_valid_until
                and txn.euc_valid_until < timezone.localdate(self.approved_at)
            ):
                lines.append(lambda: _("The certificate had expired when the order was approved."))
        if self.approved_at is None:
            lines.append(self._not_approved)
        return links, lines

    def licence(self):
        txn = self.txn
        links, lines = [], []
        lines.append(
            lambda: (
                _("Licence decision: %(decision)s.")
                % {"decision": txn.get_licence_decision_display() or "—"}
            )
        )
        if txn.licence_id:
            links.append(
                {
                    "kind": "licence",
                    "label": txn.licence.number,
                    "url": txn.licence.get_absolute_url(),
                }
            )
        drawdowns = list(txn.drawdowns.all())
        for drawdown in drawdowns:
            lines.append(
                lambda d=drawdown: (
                    _("Drawn down %(quantity)s / %(value)s on %(date)s%(released)s.")
                    % {
                        "quantity": f"{d.quantity:f}".rstrip("0").rstrip("."),
                        "value": d.value,
                        "date": _date(d.drawn_at),
                        "released": (_(", given back %s") % _date(d.released_at))
                        if d.released_at
                        else "",
                    }
                )
            )
        if txn.licence_id and not drawdowns and self.approved_at:
            lines.append(lambda: _("No draw-down recorded against the licence."))
        today = timezone.localdate()
        for duty in sorted(txn.post_shipment_duties.all(), key=lambda d: (d.due_on, d.pk)):
            # REGS Art. 18: the reports after the shipment, made or overdue on the audit day.
            if duty.done_at is not None:
                lines.append(
                    lambda d=duty: (
                        _("Report after shipment (%(report)s): due %(due)s, made %(done)s.")
                        % {
                            "report": ReportDuty(d.kind).label,
                            "due": _date(d.due_on),
                            "done": _date(d.done_at),
                        }
                    )
                )
            elif duty.due_on < today:
                lines.append(
                    lambda d=duty: (
                        _("Report after shipment (%(report)s): due %(due)s, not made, overdue.")
                        % {"report": ReportDuty(d.kind).label, "due": _date(d.due_on)}
                    )
                )
            else:
                lines.append(
                    lambda d=duty: (
                        _("Report after shipment (%(report)s): due %(due)s, not yet made.")
                        % {"report": ReportDuty(d.kind).label, "due": _date(d.due_on)}
                    )
                )
        return links, lines

    def independent(self):
        txn = self.txn
        lines = []
        if self.approval is None:
            lines.append(self._not_approved)
            return [], lines
        conflict = self.approval.approved_by_id in {txn.created_by_id, txn.sales_approved_by_id}
        approver = self.approval.approved_by
        if conflict:
            lines.append(
                lambda: (
                    _("Approved by %(user)s, who also created or sold the order.")
                    % {"user": approver}
                )
            )
        else:
            lines.append(
                lambda: (
                    _("Approved by %(user)s on %(date)s; created by someone else.")
                    % {"user": approver, "date": _date(self.approval.approved_at)}
                )
            )
        return [], lines
