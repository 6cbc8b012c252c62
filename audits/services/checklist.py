"""Checklist generation: programme questions from the template, a risk-based plus random sample
of the period's transactions with their own checks and pre-linked evidence, and a re-check of
every open finding of the previous audit.

Idempotent: every item has a `key` unique per audit, existing keys are skipped and new items are
written with one bulk insert, so a re-run adds nothing twice. The number of queries does not depend
on the organisation's history: every read is one query over a set of ids (see
bench/audit_checklist_bench.py and tests/audits/test_checklist.py).
"""

from collections import defaultdict
from collections.abc import Callable
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.jobs import StepText
from records.models import Document
from screening.models import ListVersion
from trade.models import Transaction

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
from .checklist_facts import Facts, approval_in_force, involved_user_ids, sampled_transactions_load
from .checklist_sample import transaction_sample

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
    transactions = sampled_transactions_load(organisation, ids)
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
        facts = Facts(txn, approval_in_force(txn), documents.get(txn.pk, []), versions_by_list)
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
