"""Checklist generation: programme questions from the template, a risk-based plus random sample
of the period's transactions with their own checks and pre-linked evidence, and a re-check of
every open finding of the previous audit.

Idempotent: every item has a `key` unique per audit, existing keys are skipped and new items are
written with one bulk insert, so a re-run adds nothing twice. The number of queries does not depend
on the organisation's history: every read is one query over a set of ids (see
bench/audit_checklist_bench.py and tests/audits/test_checklist.py).
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.jobs import StepText
from records.models import Document
from screening.models import ListVersion, Screening
from trade.models import (
    Approval,
    Classification,
    RedFlagAnswer,
    ReportDuty,
    Transaction,
    TransactionEvent,
    TransactionParty,
    TransactionState,
)

from ..models import (
    ActionStatus,
    Audit,
    AuditFrozenError,
    AuditStatus,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    ItemKind,
    TransactionCheck,
)

# The transaction checks belong to element 4 (transaction review); an audit samples transactions
# only when E4 is in scope.
SAMPLE_ELEMENT = "E4"
CHECKS = list(TransactionCheck)
TRANSACTION_BASE = 100_000
RECHECK_BASE = 900_000
LANGUAGES = {"zh": "zh-hans", "en": "en"}


def _noop(percent: int, step: str = "") -> None:
    return None


def _both(func: Callable[[], str]) -> dict[str, str]:
    """Render a text in Chinese and in English (items keep both, like the reference library)."""
    texts = {}
    for suffix, language in LANGUAGES.items():
        with translation.override(language):
            texts[suffix] = str(func())
    return texts


def _recheck_text(finding: Finding, previous: Audit) -> str:
    return _("Re-check finding %(code)s of %(audit)s: %(title)s") % {
        "code": finding.code,
        "audit": previous.reference,
        "title": finding.title,
    }


def _date(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


# ---------------------------------------------------------------------------------------------
# Sampling


@dataclass
class Sample:
    reasons: dict[int, list[str]] = field(default_factory=dict)

    def add(self, pk: int, reason: str) -> None:
        self.reasons.setdefault(pk, [])
        if reason not in self.reasons[pk]:
            self.reasons[pk].append(reason)

    @property
    def ids(self) -> list[int]:
        return sorted(self.reasons)


RISK_REASONS = {
    "held_or_rejected": "held_or_rejected",
    "true_hit": "true_hit",
    "red_flag_yes": "red_flag_yes",
    "random": "random",
}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def sample_population(audit: Audit):
    """The transactions of the audit's period that went through review (drafts excluded).
    A range on the indexed `created_at`, not a date cast, so large histories stay fast."""
    return (
        Transaction.objects.for_organisation(audit.organisation)
        .filter(
            created_at__gte=_day_start(audit.period_start),
            created_at__lt=_day_start(audit.period_end + datetime.timedelta(days=1)),
        )
        .exclude(state=TransactionState.DRAFT)
    )


def transaction_sample(*, audit: Audit) -> Sample:
    """The audit's sample: every held or rejected transaction, every one with a true screening
    hit, every one with a red flag answered yes, plus `sample_size` others drawn at random with
    the audit's stored seed. Four queries, whatever the size of the history."""
    population = sample_population(audit)
    sample = Sample()
    held = TransactionEvent.objects.filter(
        transaction=OuterRef("pk"), kind=TransactionEvent.Kind.HELD
    )
    for pk in population.filter(
        Q(state__in=[TransactionState.ON_HOLD, TransactionState.REJECTED]) | Exists(held)
    ).values_list("pk", flat=True):
        sample.add(pk, "held_or_rejected")
    for pk in (
        population.filter(parties__party__screenings__hits__adjudication__outcome="true_match")
        .values_list("pk", flat=True)
        .distinct()
    ):
        sample.add(pk, "true_hit")
    for pk in (
        population.filter(red_flag_answers__answer="yes").values_list("pk", flat=True).distinct()
    ):
        sample.add(pk, "red_flag_yes")
    risk_based = set(sample.reasons)
    rest = sorted(pk for pk in population.values_list("pk", flat=True) if pk not in risk_based)
    rng = random.Random(audit.sample_seed)
    for pk in rng.sample(rest, min(audit.sample_size, len(rest))):
        sample.add(pk, "random")
    return sample


def sample_reason_label(code: str) -> str:
    return {
        "held_or_rejected": _("held or rejected"),
        "true_hit": _("true screening hit"),
        "red_flag_yes": _("red flag answered yes"),
        "random": _("random sample"),
    }.get(code, code)


# ---------------------------------------------------------------------------------------------
# What the records show for one sampled transaction


def _load_transactions(organisation, ids):
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


def _approval(txn):
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
                            "versions": ", ".join(outdated),
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


# ---------------------------------------------------------------------------------------------
# Generation


def open_findings(previous: Audit | None):
    """Findings of `previous` with a corrective action not yet verified, or with none at all."""
    if previous is None:
        return Finding.objects.none()
    unverified = CorrectiveAction.objects.filter(finding=OuterRef("pk")).exclude(
        status=ActionStatus.VERIFIED
    )
    any_action = CorrectiveAction.objects.filter(finding=OuterRef("pk"))
    return (
        Finding.objects.filter(audit=previous)
        .filter(Exists(unverified) | ~Exists(any_action))
        .order_by("number")
    )


def _assign(team_ids: list[int], involved: set[int], load: dict[int, int]) -> int | None:
    eligible = [pk for pk in team_ids if pk not in involved]
    if not eligible:
        return None
    chosen = min(eligible, key=lambda pk: (load[pk], team_ids.index(pk)))
    load[chosen] += 1
    return chosen


@transaction.atomic
def checklist_generate(*, audit: Audit, regenerate: bool = False, progress=_noop) -> dict:
    """Build (or complete) the audit's checklist. Idempotent: existing items are never created
    twice and keep their answers. `regenerate` also brings programme items in line with the
    template's current revision (new questions added, rewording applied, removed questions
    withdrawn: deleted when unanswered, marked withdrawn when answered)."""
    # Locked: two generations of one audit (a redelivered job) run one after the other, so the
    # second sees the first one's items and creates none twice.
    audit = (
        Audit.objects.select_for_update(of=("self",))
        .select_related("template", "previous", "organisation")
        .get(pk=audit.pk)
    )
    if audit.status == AuditStatus.SIGNED_OFF:
        raise AuditFrozenError
    organisation = audit.organisation
    progress(5, gettext_lazy("Reading the template"))
    existing = {
        row["key"]: row
        for row in audit.items.values("pk", "key", "answer", "assigned_to_id", "withdrawn")
    }
    new_items: list[ChecklistItem] = []
    counts = {"programme": 0, "transaction": 0, "recheck": 0, "updated": 0, "withdrawn": 0}

    # 1. Programme questions.
    template = audit.template
    sync_programme = (
        regenerate or not audit.generated_at or (audit.generated_revision == template.revision)
    )
    if sync_programme:
        questions = list(
            template.questions.filter(is_active=True, element__code__in=audit.elements)
            .select_related("element")
            .order_by("element__order", "position", "ref_id")
        )
        wanted = set()
        to_update = []
        for position, question in enumerate(questions, start=1):
            key = f"Q:{question.ref_id}"
            wanted.add(key)
            values = {
                "position": position,
                "element_code": question.element.code,
                "ref_id": question.ref_id,
                "template_question_id": question.pk,
                "text_zh": question.text_zh,
                "text_en": question.text_en,
                "guidance_zh": question.guidance_zh,
                "guidance_en": question.guidance_en,
                "source": question.source,
                "basis": question.basis,
            }
            if key in existing:
                if regenerate:
                    to_update.append(
                        ChecklistItem(pk=existing[key]["pk"], withdrawn=False, **values)
                    )
                continue
            new_items.append(
                ChecklistItem(
                    organisation=organisation,
                    audit=audit,
                    key=key,
                    kind=ItemKind.PROGRAMME,
                    **values,
                )
            )
            counts["programme"] += 1
        if regenerate:
            if to_update:
                ChecklistItem.objects.bulk_update(
                    to_update,
                    [
                        "position",
                        "element_code",
                        "ref_id",
                        "template_question_id",
                        "text_zh",
                        "text_en",
                        "guidance_zh",
                        "guidance_en",
                        "source",
                        "basis",
                        "withdrawn",
                    ],
                    batch_size=200,
                )
                counts["updated"] = len(to_update)
            gone = [
                row for key, row in existing.items() if key.startswith("Q:") and key not in wanted
            ]
            unanswered = [row["pk"] for row in gone if not row["answer"]]
            answered = [row["pk"] for row in gone if row["answer"] and not row["withdrawn"]]
            if unanswered:
                ChecklistItem.objects.filter(pk__in=unanswered).delete()
            if answered:
                ChecklistItem.objects.filter(pk__in=answered).update(withdrawn=True)
            counts["withdrawn"] = len(unanswered) + len(answered)

    # 2. Sampled transactions.
    progress(20, gettext_lazy("Drawing the sample of transactions"))
    if SAMPLE_ELEMENT in audit.elements:
        sample = transaction_sample(audit=audit)
        missing = [
            pk
            for pk in sample.ids
            if any(f"T:{pk}:{check.value}" not in existing for check in CHECKS)
        ]
        if missing:
            progress(
                40,
                StepText(
                    ngettext_lazy(
                        "Collecting the records of %(count)d transaction",
                        "Collecting the records of %(count)d transactions",
                        "count",
                    ),
                    {"count": len(missing)},
                ),
            )
            new_items.extend(_transaction_items(audit, missing, sample, existing, counts))

    # 3. Re-checks of the previous audit's open findings.
    progress(80, gettext_lazy("Re-checks of open findings"))
    previous = audit.previous
    for number, finding in enumerate(open_findings(previous), start=1):
        key = f"R:{finding.pk}"
        if key in existing:
            continue
        assert previous is not None  # open_findings(None) finds none
        texts = _both(partial(_recheck_text, finding, previous))
        new_items.append(
            ChecklistItem(
                organisation=organisation,
                audit=audit,
                key=key,
                kind=ItemKind.RECHECK,
                position=RECHECK_BASE + number,
                element_code=finding.element_code,
                ref_id=f"{previous.reference}-{finding.code}",
                previous_finding=finding,
                text_zh=texts["zh"],
                text_en=texts["en"],
                guidance_zh=finding.description,
                guidance_en=finding.description,
                evidence=[
                    {
                        "kind": "finding",
                        "label": f"{previous.reference}-{finding.code}",
                        "url": finding.get_absolute_url(),
                    }
                ],
            )
        )
        counts["recheck"] += 1

    progress(
        90,
        StepText(
            ngettext_lazy(
                "Saving %(count)d checklist item", "Saving %(count)d checklist items", "count"
            ),
            {"count": len(new_items)},
        ),
    )
    # Each item's creation is recorded (history and event log, records/bulk.py).
    ChecklistItem.objects.bulk_create(new_items, batch_size=250)
    Audit.objects.filter(pk=audit.pk).update(
        generated_at=timezone.now(),
        generated_revision=template.revision if sync_programme else audit.generated_revision,
        status=AuditStatus.IN_PROGRESS,
    )
    progress(100, gettext_lazy("Checklist ready"))
    counts["created"] = len(new_items)
    return counts


def _transaction_items(audit, ids, sample, existing, counts) -> list[ChecklistItem]:
    organisation = audit.organisation
    transactions = _load_transactions(organisation, ids)
    content_type = ContentType.objects.get_for_model(Transaction)
    documents = defaultdict(list)
    for doc in Document.objects.filter(
        organisation=organisation,
        content_type=content_type,
        object_id__in=[str(pk) for pk in ids],
        document_type=Document.Type.END_USER_CERTIFICATE,
    ).order_by("uploaded_at", "pk"):
        documents[int(doc.object_id)].append(doc)
    versions_by_list = defaultdict(list)
    for version in (
        ListVersion.objects.select_related("screening_list")
        .only("id", "screening_list_id", "number", "created_at", "screening_list__code")
        .filter(
            Q(screening_list__organisation__isnull=True)
            | Q(screening_list__organisation=organisation)
        )
    ):
        versions_by_list[version.screening_list_id].append(version)
    team_ids = [audit.lead_auditor_id, *sorted(u.pk for u in audit.team.all())]
    load: defaultdict[int, int] = defaultdict(int)
    for row in existing.values():
        if row["assigned_to_id"]:
            load[row["assigned_to_id"]] += 1
    items: list[ChecklistItem] = []
    # Texts are rendered in one language at a time afterwards (switching languages per text
    # costs more than everything else together).
    pending = []
    for index, txn in enumerate(sorted(transactions, key=lambda t: t.pk)):
        involved = involved_user_ids(txn)
        previous = [
            existing[f"T:{txn.pk}:{c.value}"]["assigned_to_id"]
            for c in CHECKS
            if f"T:{txn.pk}:{c.value}" in existing
        ]
        assignee = previous[0] if previous and previous[0] else _assign(team_ids, involved, load)
        facts = Facts(txn, _approval(txn), documents.get(txn.pk, []), versions_by_list)
        base_links = facts.base_links()
        reasons = ", ".join(sample.reasons.get(txn.pk, []))
        for check_index, check in enumerate(CHECKS):
            key = f"T:{txn.pk}:{check.value}"
            if key in existing:
                continue
            links, lines = getattr(facts, check.value)()
            item = ChecklistItem(
                organisation=organisation,
                audit=audit,
                key=key,
                kind=ItemKind.TRANSACTION,
                position=TRANSACTION_BASE + index * 10 + check_index,
                element_code=SAMPLE_ELEMENT,
                ref_id=f"{txn.reference}/{check_index + 1}",
                transaction=txn,
                check_kind=check.value,
                sample_reason=reasons,
                evidence=base_links + links,
                involved_user_ids=sorted(involved),
                assigned_to_id=assignee,
                independence_conflict=assignee is None,
            )
            pending.append((item, check, txn, lines))
            counts["transaction"] += 1
    for suffix, language in LANGUAGES.items():
        with translation.override(language):
            for item, check, txn, lines in pending:
                setattr(
                    item,
                    f"text_{suffix}",
                    _("%(reference)s: %(question)s")
                    % {"reference": txn.reference, "question": check.label},
                )
                setattr(item, f"guidance_{suffix}", "\n".join(str(line()) for line in lines))
    items.extend(item for item, _check, _txn, _lines in pending)
    return items


def reassign_item_group(*, audit: Audit, transaction_id: int, user) -> int:
    """Give every item of one sampled transaction to `user` (a team member not involved in it)."""
    if audit.is_signed_off:
        raise AuditFrozenError
    items = list(audit.items.filter(transaction_id=transaction_id))
    team_ids = {audit.lead_auditor_id, *audit.team.values_list("pk", flat=True)}
    if user.pk not in team_ids:
        raise ValidationError(_("Only a member of the audit team can take these items."))
    if any(user.pk in item.involved_user_ids for item in items):
        raise ValidationError(
            _("%(user)s created, reviewed or approved this transaction and cannot audit it.")
            % {"user": user}
        )
    return audit.items.filter(transaction_id=transaction_id).update(
        assigned_to=user, independence_conflict=False
    )


def evidence_kind_label(kind: str) -> str:
    return {
        "transaction": _("Transaction"),
        "approval": _("Approval"),
        "item": _("Item and classification"),
        "screening": _("Screening"),
        "document": _("Document"),
        "licence": _("Licence"),
        "finding": _("Previous finding"),
        "link": _("Record"),
    }.get(kind, kind)
