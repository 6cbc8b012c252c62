"""Builders for audit tests: transactions with their review trail written straight to the
tables (bulk, fast), screenings with true hits, extra auditors, and audits."""

import datetime
import itertools

from django.utils import timezone

from accounts.roles import Role
from audits.models import Audit
from audits.services.audits import audit_create
from reference.models import RedFlag
from reference.selectors import current_framework
from reference.services import reference_framework_load
from screening.models import (
    Adjudication,
    ListedEntity,
    ListVersion,
    Party,
    Screening,
    ScreeningHit,
    ScreeningList,
)
from tests.accounts.factories import MembershipFactory, UserFactory
from trade.models import (
    Approval,
    PartyRole,
    RedFlagAnswer,
    Transaction,
    TransactionEvent,
    TransactionParty,
    TransactionState,
)

_counter = itertools.count(1)


def add_auditor(world, email="auditor2@acme.test"):
    return MembershipFactory(
        organisation=world.organisation, role=Role.AUDITOR, user=UserFactory(email=email)
    ).user


def transactions_bulk(
    world,
    count: int,
    *,
    state=TransactionState.APPROVED,
    created_by=None,
    approved_by=None,
    prefix="SO",
    created_at=None,
):
    """`count` transactions with their creation event and, when approved, an approval: what the
    review leaves behind, written with bulk_create (a large history in seconds)."""
    created_by = created_by or world.users["staff"]
    approved_by = approved_by or world.users["manager"]
    batch = next(_counter)
    transactions = Transaction.objects.bulk_create(
        [
            Transaction(
                organisation=world.organisation,
                reference=f"{prefix}-{batch:03d}-{n:05d}",
                destination_country="DE",
                end_use="Position feedback for CNC machine tools",
                state=state,
                created_by=created_by,
            )
            for n in range(count)
        ],
        batch_size=500,
    )
    if created_at is not None:
        Transaction.objects.filter(pk__in=[t.pk for t in transactions]).update(
            created_at=created_at
        )
    TransactionEvent.objects.bulk_create(
        [
            TransactionEvent(
                organisation=world.organisation,
                transaction=t,
                kind=TransactionEvent.Kind.CREATED,
                actor=created_by,
            )
            for t in transactions
        ],
        batch_size=500,
    )
    if state == TransactionState.APPROVED:
        Approval.objects.bulk_create(
            [
                Approval(organisation=world.organisation, transaction=t, approved_by=approved_by)
                for t in transactions
            ],
            batch_size=500,
        )
    return transactions


def answer_red_flag_yes(world, transaction):
    flag = RedFlag.objects.filter(framework=current_framework()).first()
    return RedFlagAnswer.objects.create(
        organisation=world.organisation,
        transaction=transaction,
        red_flag=flag,
        answer="yes",
        answered_by=world.users["staff"],
        answered_at=timezone.now(),
    )


def hold(world, transaction):
    TransactionEvent.objects.create(
        organisation=world.organisation,
        transaction=transaction,
        kind=TransactionEvent.Kind.HELD,
        actor=world.users["manager"],
    )


def true_hit(world, transaction, *, name="Gulf Horizon General Trading FZE"):
    """A party of the transaction screened with a hit a compliance manager decided is a match."""
    n = next(_counter)
    party = Party.objects.create(
        organisation=world.organisation, name=f"{name} {n}", party_type="customer", country="AE"
    )
    TransactionParty.objects.create(
        organisation=world.organisation, transaction=transaction, role=PartyRole.BUYER, party=party
    )
    screening_list = ScreeningList.objects.create(
        organisation=world.organisation, code=f"INHOUSE-{n}", name_zh="内部名单"
    )
    version = ListVersion.objects.create(
        screening_list=screening_list, number=1, source="manual", content_sha256="0" * 64
    )
    entity = ListedEntity.objects.create(version=version, entity_id=f"E-{n}", name=name)
    screening = Screening.objects.create(
        organisation=world.organisation,
        source=Screening.Source.PARTY,
        query_name=party.name,
        subject_key=f"party:{party.pk}",
        party=party,
        threshold=0.8,
        decision="match",
    )
    screening.list_versions.add(version)
    hit = ScreeningHit.objects.create(
        screening=screening,
        entity=entity,
        rank=1,
        list_code=screening_list.code,
        entity_key=entity.entity_id,
        query_name=party.name,
        matched_name=name,
        score=0.97,
        decision="match",
    )
    Adjudication.objects.create(
        organisation=world.organisation,
        hit=hit,
        outcome=Adjudication.Outcome.TRUE_MATCH,
        reason="Same name, address and trade licence number.",
        decided_by=world.users["manager"],
    )
    return party


def make_audit(world, *, team=(), elements=None, sample_size=5, seed=20250101, **values) -> Audit:
    # The standard checklist comes from the reference library; a transactional test run
    # earlier on the same worker may have flushed it, so load it again when it is gone.
    current_framework() or reference_framework_load()
    today = timezone.localdate()
    values.setdefault("period_start", today - datetime.timedelta(days=365))
    values.setdefault("period_end", today)
    return audit_create(
        organisation=world.organisation,
        user=world.users["auditor"],
        title_zh="2025年度出口管制内部审计",
        title_en="2025 export-control internal audit",
        elements=elements or [f"E{n}" for n in range(1, 10)],
        planned_start=today,
        planned_end=today + datetime.timedelta(days=14),
        lead_auditor=world.users["auditor"],
        team=list(team),
        sample_size=sample_size,
        sample_seed=seed,
        **values,
    )
