"""Checklist generation: programme questions, the sample, independence, re-checks, idempotency,
regeneration after a template change, and a fixed number of queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import (
    ActionStatus,
    Answer,
    AuditStatus,
    ChecklistItem,
    ItemKind,
    TemplateQuestion,
)
from audits.services.audits import audit_sign_off
from audits.services.checklist import checklist_generate
from audits.services.checklist_sample import transaction_sample
from audits.services.review import (
    action_create,
    finding_raise,
    item_answer,
)
from audits.services.templates import (
    template_copy,
    template_question_add,
    template_question_update,
    template_standard_ensure,
)
from reference.models import AuditQuestion, Element
from trade.models import TransactionState

from .factories import (
    add_auditor,
    answer_red_flag_yes,
    hold,
    make_audit,
    transactions_bulk,
    true_hit,
)

pytestmark = pytest.mark.django_db


def _answer_all(audit, user):
    for item in audit.items.all():
        item_answer(item=item, user=user, answer=Answer.COMPLIANT)


def test_standard_template_holds_every_reference_question(reference):
    template = template_standard_ensure()
    assert template.questions.count() == AuditQuestion.objects.filter(framework=reference).count()
    again = template_standard_ensure()
    assert again.pk == template.pk
    assert again.questions.count() == template.questions.count()
    question = template.questions.get(ref_id="AQ-E1-01")
    assert question.element.code == "E1"
    assert question.source and question.guidance_en and question.text_zh


def test_programme_items_follow_the_elements_in_scope(world, reference):
    audit = make_audit(world, elements=["E1", "E3"])
    checklist_generate(audit=audit)
    expected = TemplateQuestion.objects.filter(
        template=audit.template, element__code__in=["E1", "E3"], is_active=True
    ).count()
    items = audit.items.filter(kind=ItemKind.PROGRAMME)
    assert items.count() == expected > 0
    assert set(items.values_list("element_code", flat=True)) == {"E1", "E3"}
    # No sample without transaction review (E4) in scope.
    assert not audit.items.filter(kind=ItemKind.TRANSACTION).exists()
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS and audit.generated_at


def test_generation_is_idempotent(world, reference):
    transactions_bulk(world, 30)
    audit = make_audit(world, sample_size=10)
    first = checklist_generate(audit=audit)
    count = audit.items.count()
    second = checklist_generate(audit=audit)
    assert first["created"] == count > 0
    assert second["created"] == 0
    assert audit.items.count() == count
    assert audit.items.filter(kind=ItemKind.TRANSACTION).count() == 10 * 5


def test_risk_based_sample_takes_every_risky_transaction(world, reference):
    plain = transactions_bulk(world, 40)
    rejected = transactions_bulk(world, 2, state=TransactionState.REJECTED, prefix="REJ")
    on_hold = transactions_bulk(world, 1, state=TransactionState.ON_HOLD, prefix="HOLD")
    held_then_approved = plain[0]
    hold(world, held_then_approved)
    red_flag = plain[1]
    answer_red_flag_yes(world, red_flag)
    hit = plain[2]
    true_hit(world, hit)
    transactions_bulk(world, 3, state=TransactionState.DRAFT, prefix="DRAFT")
    audit = make_audit(world, sample_size=5)
    sample = transaction_sample(audit=audit)
    risky = {t.pk for t in [*rejected, *on_hold, held_then_approved, red_flag, hit]}
    assert risky <= set(sample.ids)
    assert "true_hit" in sample.reasons[hit.pk]
    assert "red_flag_yes" in sample.reasons[red_flag.pk]
    assert "held_or_rejected" in sample.reasons[held_then_approved.pk]
    random_ids = [pk for pk, reasons in sample.reasons.items() if reasons == ["random"]]
    assert len(random_ids) == 5


def test_drafts_and_other_periods_are_not_sampled(world, reference):
    drafts = transactions_bulk(world, 5, state=TransactionState.DRAFT, prefix="D")
    old = transactions_bulk(
        world, 5, prefix="OLD", created_at=timezone.now() - datetime.timedelta(days=800)
    )
    audit = make_audit(world, sample_size=50)
    ids = set(transaction_sample(audit=audit).ids)
    assert not ids & {t.pk for t in drafts + old}


def test_same_audit_gives_the_same_sample(world, reference):
    transactions_bulk(world, 100)
    audit = make_audit(world, sample_size=15, seed=42)
    first = transaction_sample(audit=audit).ids
    assert transaction_sample(audit=audit).ids == first
    twin = make_audit(world, sample_size=15, seed=42)
    assert transaction_sample(audit=twin).ids == first
    other = make_audit(world, sample_size=15, seed=43)
    assert transaction_sample(audit=other).ids != first


def test_sampled_items_carry_evidence_and_facts(world, reference):
    (txn,) = transactions_bulk(world, 1)
    audit = make_audit(world, sample_size=1)
    checklist_generate(audit=audit)
    items = {i.check_kind: i for i in audit.items.filter(transaction=txn)}
    assert set(items) == {"classified", "screened", "euc", "licence", "independent"}
    independent = items["independent"]
    assert any(link["kind"] == "transaction" for link in independent.evidence)
    assert any(link["kind"] == "approval" for link in independent.evidence)
    assert "Approved by" in independent.guidance_en and "批准" in independent.guidance_zh
    assert "No end-user certificate" in items["euc"].guidance_en
    assert txn.reference in items["euc"].text_en


def test_independence_sends_items_to_another_team_member(world, reference):
    second = add_auditor(world)
    mine = transactions_bulk(world, 3, created_by=world.users["auditor"], prefix="MINE")
    theirs = transactions_bulk(world, 3, approved_by=second, prefix="THEIRS")
    audit = make_audit(world, team=[second], sample_size=10)
    checklist_generate(audit=audit)
    for txn in mine:
        assert set(audit.items.filter(transaction=txn).values_list("assigned_to", flat=True)) == {
            second.pk
        }
    for txn in theirs:
        assert set(audit.items.filter(transaction=txn).values_list("assigned_to", flat=True)) == {
            world.users["auditor"].pk
        }
    assert not audit.items.filter(independence_conflict=True).exists()


def test_independence_flags_items_nobody_can_take(world, reference):
    (txn,) = transactions_bulk(world, 1, approved_by=world.users["auditor"])
    audit = make_audit(world, sample_size=1)
    checklist_generate(audit=audit)
    items = audit.items.filter(transaction=txn)
    assert items.count() == 5
    assert all(i.independence_conflict and i.assigned_to_id is None for i in items)
    with pytest.raises(ValidationError):
        item_answer(item=items.first(), user=world.users["auditor"], answer=Answer.COMPLIANT)
    with pytest.raises(ValidationError):
        audit_sign_off(audit=audit, user=world.users["auditor"])


def test_open_findings_of_the_previous_audit_are_rechecked(world, reference):
    today = timezone.localdate()
    previous = make_audit(
        world,
        elements=["E1"],
        period_start=today - datetime.timedelta(days=800),
        period_end=today - datetime.timedelta(days=400),
    )
    checklist_generate(audit=previous)
    auditor = world.users["auditor"]
    item = previous.items.first()
    item_answer(item=item, user=auditor, answer=Answer.NON_COMPLIANT)
    open_finding = finding_raise(
        audit=previous,
        user=auditor,
        item=item,
        title="Policy not signed",
        description="x",
        severity="major",
    )
    closed_finding = finding_raise(
        audit=previous,
        user=auditor,
        item=item,
        title="Policy not dated",
        description="y",
        severity="minor",
    )
    action = action_create(
        finding=closed_finding,
        user=auditor,
        description="Date it",
        owner=world.users["manager"],
        due_date=today,
    )
    action.status = ActionStatus.VERIFIED
    action.verified_by = auditor
    action.save()
    _answer_all(previous, auditor)
    audit_sign_off(audit=previous, user=auditor, summary="Done")

    audit = make_audit(world, elements=["E1"])
    assert audit.previous == previous
    checklist_generate(audit=audit)
    rechecks = audit.items.filter(kind=ItemKind.RECHECK)
    assert list(rechecks.values_list("previous_finding", flat=True)) == [open_finding.pk]
    checklist_generate(audit=audit)
    assert audit.items.filter(kind=ItemKind.RECHECK).count() == 1


def test_regeneration_after_a_template_change_keeps_answers(world, reference):
    source = template_standard_ensure()
    template = template_copy(
        organisation=world.organisation,
        user=world.users["auditor"],
        source=source,
        name_zh="本公司审计清单",
    )
    audit = make_audit(world, elements=["E1"], template=template)
    checklist_generate(audit=audit)
    auditor = world.users["auditor"]
    answered = audit.items.order_by("position")[0]
    unanswered = audit.items.order_by("position")[1]
    item_answer(item=answered, user=auditor, answer=Answer.PARTIAL, comment="Signed, not dated")

    element = Element.objects.get(framework=reference, code="E1")
    template_question_add(
        organisation=world.organisation,
        template=template,
        element=element,
        text_zh="政策声明是否已向全体员工公布？",
    )
    template_question_update(
        organisation=world.organisation,
        question=answered.template_question,
        text_en="Reworded question",
        is_active=False,
    )
    template_question_update(
        organisation=world.organisation, question=unanswered.template_question, is_active=False
    )
    before = audit.items.count()
    # A plain re-run does not apply the template change ...
    assert checklist_generate(audit=audit)["created"] == 0
    assert audit.items.count() == before
    # ... the explicit regeneration does, and keeps the answer.
    result = checklist_generate(audit=audit, regenerate=True)
    assert result["created"] == 1
    answered.refresh_from_db()
    assert answered.answer == Answer.PARTIAL and answered.comment == "Signed, not dated"
    assert answered.withdrawn
    assert not ChecklistItem.objects.filter(pk=unanswered.pk).exists()
    assert audit.items.filter(ref_id="ORG-E1-01").exists()
    audit.refresh_from_db()
    assert audit.generated_revision == template.__class__.objects.get(pk=template.pk).revision


def test_standard_template_cannot_be_changed(world, reference):
    template = template_standard_ensure()
    with pytest.raises(ValidationError):
        template_question_update(
            organisation=world.organisation, question=template.questions.first(), is_active=False
        )


def _generation_queries(audit):
    with CaptureQueriesContext(connection) as context:
        checklist_generate(audit=audit)
    return len(context.captured_queries)


def test_generation_needs_a_fixed_number_of_queries(
    world, reference, django_assert_max_num_queries
):
    """200 sampled transactions (1,000 items and more): the number of queries does not depend on
    the size of the history. SQLite inserts in batches of about 30 rows, PostgreSQL in far fewer,
    and each batch of items brings its batch of history rows and event-log entries (the bulk
    guard of regulated records), hence the ceiling."""
    second = add_auditor(world)
    transactions_bulk(world, 220)
    first = make_audit(world, team=[second], sample_size=200)
    with django_assert_max_num_queries(120):
        checklist_generate(audit=first)
    assert first.items.filter(kind=ItemKind.TRANSACTION).count() == 200 * 5
    baseline = _generation_queries(make_audit(world, team=[second], sample_size=200))
    transactions_bulk(world, 800)
    for txn in transactions_bulk(world, 5, prefix="HIT"):
        answer_red_flag_yes(world, txn)
    larger = _generation_queries(make_audit(world, team=[second], sample_size=195))
    assert larger == baseline
