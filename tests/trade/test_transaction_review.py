"""The review rules: every check, every refused shortcut, reopen on key changes, hold/release."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from icp.services.organisation import sod_rules_install_recommended
from reference.models import RedFlag
from screening.models import Adjudication, PartyType
from screening.services.screening import hit_adjudicate
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.screening.factories import add_entity
from tests.screening.factories_parties import PartyFactory
from tests.trade.factories_transactions import (
    attach_euc,
    classified_item,
    clean_transaction,
    controlled_transaction,
    make_licence,
    screened_party,
)
from trade.models import (
    Answer,
    Approval,
    LicenceDecision,
    LicenceDrawdown,
    PartyRole,
    RedFlagAnswer,
    TransactionEvent,
    TransactionState,
)
from trade.services.review import review_checklist, review_context
from trade.services.transaction import (
    red_flag_answer,
    red_flag_resolve,
    transaction_approve,
    transaction_approvers,
    transaction_hold,
    transaction_line_add,
    transaction_line_update,
    transaction_party_add,
    transaction_reject,
    transaction_release,
    transaction_submit,
    transaction_update,
    transactions_recheck_after_rescreen,
)

pytestmark = pytest.mark.usefixtures("reference", "public_list")


def checks_of(transaction):
    return {c.code: c for c in review_checklist(review_context(transaction))}


def flag(ref_id):
    return RedFlag.objects.get(framework__is_current=True, ref_id=ref_id)


def test_a_complete_transaction_is_approved_and_frozen_with_its_evidence(world):
    transaction = clean_transaction(world)
    assert all(c.passed for c in checks_of(transaction).values())
    approval = transaction_approve(transaction=transaction, user=world.users["manager"], note="OK")
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED
    evidence = approval.evidence
    assert {c["code"] for c in evidence["checklist"]} == {
        "classification",
        "screening",
        "red_flags",
        "euc",
        "licence",
    }
    assert evidence["list_versions"] and evidence["list_versions"][0]["list"] == "CN-UEL"
    assert all(p["screening_id"] for p in evidence["parties"])
    assert evidence["items"][0]["classification_id"]
    assert (
        len(evidence["red_flags"]["answers"])
        == RedFlag.objects.filter(framework__is_current=True, merged_into="").count()
    )
    assert evidence["licence"]["decision"] == LicenceDecision.NOT_CONTROLLED
    assert transaction.events.filter(kind=TransactionEvent.Kind.APPROVED).exists()


def test_an_unclassified_item_prevents_approval(world):
    transaction = clean_transaction(world)
    item = PartyFactory  # noqa: F841  (keep import used)
    from tests.trade.factories_transactions import ItemFactory

    transaction_line_add(
        transaction=transaction,
        user=world.users["staff"],
        item=ItemFactory(organisation=world.organisation),
        quantity=1,
        value=10,
    )
    assert not checks_of(transaction)["classification"].passed
    with pytest.raises(ValidationError, match="Check 1"):
        transaction_approve(transaction=transaction, user=world.users["manager"])


def test_an_unreviewed_classification_warns_but_does_not_block(world):
    transaction = clean_transaction(world, item=classified_item(world, reviewed=False))
    check = checks_of(transaction)["classification"]
    assert check.passed and check.warnings


def test_an_undecided_hit_prevents_approval_until_adjudicated(world):
    transaction = clean_transaction(world, submit=False)
    suspect = screened_party(world, name="Lockheed Martin Corporation", country="US")
    transaction_party_add(
        transaction=transaction, user=world.users["staff"], party=suspect, role=PartyRole.CONSIGNEE
    )
    transaction_submit(transaction=transaction, user=world.users["staff"])
    screening_check = checks_of(transaction)["screening"]
    assert not screening_check.passed
    assert "needs a decision" in screening_check.blockers[0].message
    # The UEL flag is answered "unknown" from the data while the hit is undecided.
    assert (
        RedFlagAnswer.objects.get(transaction=transaction, red_flag=flag("RF-CN-03")).answer
        == Answer.UNKNOWN
    )
    with pytest.raises(ValidationError):
        transaction_approve(transaction=transaction, user=world.users["manager"])
    hit = suspect.last_screening.hits.first()
    hit_adjudicate(
        hit=hit,
        organisation=world.organisation,
        user=world.users["manager"],
        outcome=Adjudication.Outcome.FALSE_POSITIVE,
        reason="Different company: a freight broker in Ohio.",
    )
    from trade.services.review import transaction_refresh

    transaction_refresh(transaction=transaction)
    assert checks_of(transaction)["screening"].passed
    assert (
        RedFlagAnswer.objects.get(transaction=transaction, red_flag=flag("RF-CN-03")).answer
        == Answer.NO
    )


def test_a_stale_screening_is_an_open_check(world):
    transaction = clean_transaction(world)
    add_entity(
        world_list := __import__(
            "screening.models", fromlist=["ScreeningList"]
        ).ScreeningList.objects.get(code="CN-UEL"),
        "UEL-NEW",
        "Some New Entity Ltd",
        countries=["GB"],
    )
    assert world_list
    check = checks_of(transaction)["screening"]
    assert not check.passed and "screened before" in check.blockers[0].message


def test_a_blocking_red_flag_needs_a_managers_resolution(world):
    transaction = clean_transaction(world)
    red_flag_answer(
        transaction=transaction,
        user=world.users["staff"],
        red_flag=flag("RF-CN-04"),
        answer=Answer.UNKNOWN,
        note="Customer mentioned a second site",
    )
    assert not checks_of(transaction)["red_flags"].passed
    with pytest.raises(ValidationError):
        transaction_approve(transaction=transaction, user=world.users["manager"])
    answer = RedFlagAnswer.objects.get(transaction=transaction, red_flag=flag("RF-CN-04"))
    with pytest.raises(PermissionDenied):
        red_flag_resolve(
            answer=answer,
            user=world.users["staff"],
            justification="Checked with the customer by phone.",
        )
    with pytest.raises(ValidationError):
        red_flag_resolve(answer=answer, user=world.users["manager"], justification="ok")
    red_flag_resolve(
        answer=answer,
        user=world.users["manager"],
        justification="Visited the site; the machines stay in Stuttgart (site report attached).",
    )
    assert checks_of(transaction)["red_flags"].passed
    transaction_approve(transaction=transaction, user=world.users["manager"])


def test_a_changed_answer_loses_its_resolution(world):
    transaction = clean_transaction(world)
    red_flag_answer(
        transaction=transaction,
        user=world.users["staff"],
        red_flag=flag("RF-CN-04"),
        answer=Answer.UNKNOWN,
    )
    answer = RedFlagAnswer.objects.get(transaction=transaction, red_flag=flag("RF-CN-04"))
    red_flag_resolve(
        answer=answer,
        user=world.users["manager"],
        justification="Checked with the customer in writing.",
    )
    red_flag_answer(
        transaction=transaction,
        user=world.users["staff"],
        red_flag=flag("RF-CN-04"),
        answer=Answer.YES,
    )
    answer.refresh_from_db()
    assert not answer.is_resolved
    assert not checks_of(transaction)["red_flags"].passed


def test_unanswered_questions_keep_the_red_flag_check_open(world):
    transaction = clean_transaction(world)
    RedFlagAnswer.objects.filter(transaction=transaction, red_flag=flag("RF-BIS-02")).delete()
    check = checks_of(transaction)["red_flags"]
    assert not check.passed and "not answered" in check.blockers[0].message


def test_a_forwarder_as_end_user_is_answered_yes_from_data_and_cannot_be_answered_away(world):
    transaction = clean_transaction(world, submit=False)
    forwarder = screened_party(
        world,
        name="Gulf Freight Services LLC",
        country="AE",
        party_type=PartyType.FORWARDER,
        address="Jebel Ali Free Zone, Dubai",
    )
    transaction_party_add(
        transaction=transaction, user=world.users["staff"], party=forwarder, role=PartyRole.END_USER
    )
    bis10 = RedFlagAnswer.objects.get(transaction=transaction, red_flag=flag("RF-BIS-10"))
    assert bis10.answer == Answer.YES and bis10.prefilled
    ftz = RedFlagAnswer.objects.get(transaction=transaction, red_flag=flag("RF-BISKYC-03"))
    assert ftz.answer == Answer.YES
    with pytest.raises(ValidationError, match="the data says yes"):
        red_flag_answer(
            transaction=transaction,
            user=world.users["staff"],
            red_flag=flag("RF-BIS-10"),
            answer=Answer.NO,
        )


def test_a_controlled_item_needs_a_valid_euc(world):
    item = classified_item(world, listed=True)
    transaction = clean_transaction(world, item=item, submit=False)
    checks = checks_of(transaction)
    assert not checks["euc"].passed
    assert "Attach" in checks["euc"].blockers[0].message
    # "not controlled" is no longer a consistent licence decision
    assert not checks["licence"].passed
    attach_euc(world, transaction, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    checks = checks_of(transaction)
    assert any("expired" in p.message for p in checks["euc"].blockers)
    assert (
        RedFlagAnswer.objects.get(transaction=transaction, red_flag=flag("RF-CN-05")).answer
        == Answer.YES
    )


def test_a_controlled_transaction_with_licence_and_euc_is_approved_and_draws_down(world):
    transaction = controlled_transaction(world)
    assert all(c.passed for c in checks_of(transaction).values()), [
        c.problems for c in checks_of(transaction).values()
    ]
    transaction_approve(transaction=transaction, user=world.users["manager"])
    drawdown = LicenceDrawdown.objects.get(transaction=transaction, released_at__isnull=True)
    assert drawdown.quantity == Decimal("10")


def test_an_exhausted_licence_is_refused(world):
    first = controlled_transaction(world, reference="SO-1", licence_limit=Decimal("15"))
    transaction_approve(transaction=first, user=world.users["manager"])
    second = clean_transaction(
        world, reference="SO-2", submit=False, item=first.lines.get().item, quantity=10
    )
    attach_euc(world, second)
    from trade.services.transaction import transaction_licence_decide

    transaction_licence_decide(
        transaction=second,
        user=world.users["manager"],
        decision=LicenceDecision.COVERED,
        licence=first.licence,
    )
    # the end user of the second order is a different party: make the licence name both
    second.refresh_from_db()
    first.licence.end_users.add(second.parties.get(role=PartyRole.END_USER).party)
    transaction_submit(transaction=second, user=world.users["staff"])
    licence_check = checks_of(second)["licence"]
    assert not licence_check.passed and "left" in licence_check.blockers[0].message
    with pytest.raises(ValidationError):
        transaction_approve(transaction=second, user=world.users["manager"])


def test_an_expired_licence_is_refused(world):
    transaction = controlled_transaction(world, submit=False)
    licence = transaction.licence
    licence.valid_from = timezone.localdate() - datetime.timedelta(days=200)
    licence.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    licence.save()
    transaction_submit(transaction=transaction, user=world.users["staff"])
    assert not checks_of(transaction)["licence"].passed
    with pytest.raises(ValidationError):
        transaction_approve(transaction=transaction, user=world.users["manager"])


def test_licence_required_is_not_approvable_until_a_licence_is_held(world):
    item = classified_item(world, listed=True)
    transaction = clean_transaction(world, item=item, submit=False)
    from trade.services.transaction import transaction_licence_decide

    transaction_licence_decide(
        transaction=transaction,
        user=world.users["manager"],
        decision=LicenceDecision.SINGLE_REQUIRED,
    )
    assert "apply to MOFCOM" in checks_of(transaction)["licence"].blockers[0].message


def test_self_approval_is_refused_and_the_app_says_who_can_approve(world):
    manager = world.users["manager"]
    transaction = clean_transaction(world, submit=False)
    transaction.created_by = manager
    transaction.save()
    transaction_submit(transaction=transaction, user=manager)
    with pytest.raises(ValidationError, match="cannot approve"):
        transaction_approve(transaction=transaction, user=manager)
    deputy = MembershipFactory(
        organisation=world.organisation,
        role=Role.COMPLIANCE_MANAGER,
        user=UserFactory(email="deputy@acme.test", full_name="Deputy Zhou"),
    ).user
    approvers = {a.user.email: a for a in transaction_approvers(transaction=transaction)}
    assert not approvers["manager@acme.test"].may_approve
    assert approvers["deputy@acme.test"].may_approve
    transaction_approve(transaction=transaction, user=deputy)


def test_staff_and_auditors_cannot_approve(world):
    transaction = clean_transaction(world)
    for persona in ("staff", "auditor", "executive"):
        with pytest.raises(PermissionDenied):
            transaction_approve(transaction=transaction, user=world.users[persona])


def test_segregation_of_duties_the_sales_approver_cannot_review(world):
    manager = world.users["manager"]
    sod_rules_install_recommended(organisation=world.organisation, user=manager)
    transaction = clean_transaction(world, sales_approved_by=manager)
    with pytest.raises(ValidationError, match="Segregation of duties"):
        transaction_approve(transaction=transaction, user=manager)
    reasons = next(
        a for a in transaction_approvers(transaction=transaction) if a.user == manager
    ).reasons
    assert any("sales approver" in r.lower() for r in reasons)


def test_approval_needs_the_review_state(world):
    transaction = clean_transaction(world, submit=False)
    with pytest.raises(ValidationError, match="in review"):
        transaction_approve(transaction=transaction, user=world.users["manager"])


@pytest.mark.parametrize(
    "change",
    [
        {"destination_country": "RU"},
        {"end_use": "Spare parts for a different customer's machines"},
        {"transit_countries": ["TR"]},
    ],
)
def test_a_key_change_after_approval_reopens_the_review(world, change):
    transaction = controlled_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction_update(transaction=transaction, user=world.users["staff"], **change)
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.IN_REVIEW
    assert Approval.objects.get(transaction=transaction).superseded_at is not None
    assert not LicenceDrawdown.objects.filter(
        transaction=transaction, released_at__isnull=True
    ).exists()
    assert transaction.events.filter(kind=TransactionEvent.Kind.REOPENED).exists()


def test_a_new_end_user_after_approval_reopens_the_review(world):
    transaction = clean_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    other = screened_party(world, name="Anatolia Makine Sanayi A.Ş.", country="TR")
    transaction_party_add(
        transaction=transaction, user=world.users["staff"], party=other, role=PartyRole.END_USER
    )
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.IN_REVIEW


def test_a_non_key_change_keeps_the_approval(world):
    transaction = clean_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    transaction_update(
        transaction=transaction,
        user=world.users["staff"],
        notes="Customer asked for DHL.",
        stage="production",
    )
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED


def test_quantity_within_the_licence_follows_the_drawdown_beyond_it_reopens(world):
    transaction = controlled_transaction(world, quantity=10, licence_limit=Decimal("20"))
    transaction_approve(transaction=transaction, user=world.users["manager"])
    line = transaction.lines.get()
    transaction_line_update(line=line, user=world.users["staff"], quantity=15)
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED
    assert (
        LicenceDrawdown.objects.get(transaction=transaction, released_at__isnull=True).quantity
        == 15
    )
    transaction_line_update(line=line, user=world.users["staff"], quantity=25)
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.IN_REVIEW
    assert "beyond licence" in transaction.state_reason


def test_hold_and_release_need_a_reason_and_a_released_approval_is_reviewed_again(world):
    transaction = clean_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    with pytest.raises(ValidationError):
        transaction_hold(transaction=transaction, user=world.users["manager"], reason="")
    with pytest.raises(PermissionDenied):
        transaction_hold(
            transaction=transaction, user=world.users["staff"], reason="I have a bad feeling"
        )
    transaction_hold(
        transaction=transaction,
        user=world.users["manager"],
        reason="Incident INC-7: end use may have changed",
        source="incident:INC-7",
    )
    transaction.refresh_from_db()
    assert (
        transaction.state == TransactionState.ON_HOLD
        and transaction.held_from == TransactionState.APPROVED
    )
    # holding again records the reason, changes nothing else
    transaction_hold(
        transaction=transaction,
        user=world.users["manager"],
        reason="Second incident about the same order",
    )
    assert transaction.events.filter(kind=TransactionEvent.Kind.HELD).count() == 2
    with pytest.raises(ValidationError):
        transaction_release(transaction=transaction, user=world.users["manager"], reason=" ")
    transaction_release(
        transaction=transaction,
        user=world.users["manager"],
        reason="Customer confirmed the site in writing.",
    )
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.IN_REVIEW
    assert Approval.objects.get(transaction=transaction).superseded_at is not None


def test_a_rejected_transaction_is_final(world):
    transaction = clean_transaction(world)
    transaction_reject(
        transaction=transaction, user=world.users["manager"], reason="End user refuses the EUC."
    )
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.REJECTED
    with pytest.raises(ValidationError):
        transaction_hold(
            transaction=transaction, user=world.users["manager"], reason="Too late for this"
        )
    with pytest.raises(ValidationError):
        transaction_update(transaction=transaction, user=world.users["staff"], notes="x")


def test_a_new_list_version_puts_an_approved_order_with_a_new_hit_back_in_review(
    world, public_list
):
    transaction = clean_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    shipped = clean_transaction(world, reference="SO-SHIPPED")
    transaction_approve(transaction=shipped, user=world.users["manager"])
    from trade.services.transaction import transaction_mark_shipped

    transaction_mark_shipped(
        transaction=shipped, user=world.users["manager"], shipped_on=timezone.localdate()
    )
    end_user = transaction.parties.get(role=PartyRole.END_USER).party
    add_entity(public_list, "UEL-2099-1", end_user.name, countries=["DE"])
    reopened = transactions_recheck_after_rescreen(organisation=world.organisation)
    transaction.refresh_from_db()
    shipped.refresh_from_db()
    assert reopened == [transaction]
    assert transaction.state == TransactionState.IN_REVIEW
    assert (
        "list update" in transaction.events.filter(kind=TransactionEvent.Kind.REOPENED).get().source
    )
    assert shipped.state == TransactionState.APPROVED
    # idempotent
    assert transactions_recheck_after_rescreen(organisation=world.organisation) == []


def test_the_rescreen_job_rechecks_approved_orders(world, public_list):
    from core.jobs import job_run
    from screening.jobs import rescreen_enqueue

    transaction = clean_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    end_user = transaction.parties.get(role=PartyRole.END_USER).party
    add_entity(public_list, "UEL-2099-2", end_user.name, countries=["DE"])
    job = rescreen_enqueue(organisation=world.organisation, reason="CN-UEL v9")
    job_run(job_id=job.pk)
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.IN_REVIEW


def test_the_other_organisations_records_cannot_be_used(world):
    transaction = clean_transaction(world, submit=False)
    foreign = PartyFactory(organisation=world.other_organisation)
    with pytest.raises(ValidationError):
        transaction_party_add(
            transaction=transaction, user=world.users["staff"], party=foreign, role=PartyRole.BANK
        )
    with pytest.raises(PermissionDenied):
        transaction_update(transaction=transaction, user=world.users["outsider"], notes="hello")


def test_general_licence_validity_limits(world):
    item = classified_item(world, listed=True)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="one year"):
        make_licence(
            world,
            items=[item],
            end_users=[screened_party(world)],
            valid_until=today + datetime.timedelta(days=500),
        )
    make_licence(
        world, items=[item], kind="general", valid_until=today + datetime.timedelta(days=900)
    )
    with pytest.raises(ValidationError, match="three years"):
        make_licence(
            world,
            items=[item],
            kind="general",
            quantity_limit=Decimal(7),
            valid_until=today + datetime.timedelta(days=1200),
        )
    with pytest.raises(ValidationError, match="end user"):
        make_licence(world, items=[item], quantity_limit=Decimal(8))
