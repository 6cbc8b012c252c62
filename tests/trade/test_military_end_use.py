"""The question on MOFCOM bans on military users (e.g. Announcement 2024 No. 46 for the United
States) reads every party's country and type, not only the destination and the route."""

import pytest

from screening.models import PartyType
from tests.trade.factories_transactions import clean_transaction, screened_party
from trade.models import Answer, PartyRole, RedFlagAnswer
from trade.services.transaction import transaction_party_add

pytestmark = pytest.mark.usefixtures("reference", "public_list")

QUESTION = "RF-CN-10"


def _answer(transaction) -> RedFlagAnswer:
    return RedFlagAnswer.objects.get(transaction=transaction, red_flag__ref_id=QUESTION)


def _add(world, transaction, role, **party):
    transaction_party_add(
        transaction=transaction,
        user=world.users["staff"],
        party=screened_party(world, **party),
        role=role,
    )


def test_a_us_defence_end_user_shipped_through_a_third_country_is_flagged(world):
    # goods go to Germany, with no transit country on any list: only the party tells
    transaction = clean_transaction(world, submit=False, destination_country="DE")
    _add(
        world,
        transaction,
        PartyRole.END_USER,
        name="Arlington Systems Integration Inc.",
        country="US",
        party_type=PartyType.END_USER,
        military_user=True,
    )
    answer = _answer(transaction)
    assert answer.answer == Answer.YES and answer.prefilled
    assert "Arlington Systems Integration" in answer.note_text


def test_a_defence_name_in_a_banned_country_is_flagged_without_the_mark(world):
    transaction = clean_transaction(world, submit=False, destination_country="NL")
    _add(
        world,
        transaction,
        PartyRole.CONSIGNEE,
        name="Tri-State Defense Logistics LLC",
        country="US",
        party_type=PartyType.CONSIGNEE,
    )
    assert _answer(transaction).answer == Answer.YES


def test_a_civil_party_in_a_banned_country_needs_a_person_to_confirm(world):
    transaction = clean_transaction(world, submit=False, destination_country="DE")
    _add(
        world,
        transaction,
        PartyRole.CONSIGNEE,
        name="Midwest Tooling Distribution Inc.",
        country="US",
        party_type=PartyType.CONSIGNEE,
    )
    answer = _answer(transaction)
    assert answer.answer == Answer.UNKNOWN
    assert "Midwest Tooling" in answer.note_text


def test_a_military_end_use_stated_for_a_banned_destination_is_flagged(world):
    transaction = clean_transaction(
        world,
        submit=False,
        destination_country="US",
        end_use="Spare parts for military vehicle maintenance",
    )
    assert _answer(transaction).answer == Answer.YES


def test_no_party_or_country_under_a_ban_answers_no(world):
    transaction = clean_transaction(world, submit=False, destination_country="DE")
    answer = _answer(transaction)
    assert answer.answer == Answer.NO and answer.prefilled


def test_a_military_party_outside_banned_countries_is_not_this_question(world):
    transaction = clean_transaction(world, submit=False, destination_country="DE")
    _add(
        world,
        transaction,
        PartyRole.END_USER,
        name="Bundeswehr Beschaffungsamt",
        country="DE",
        party_type=PartyType.END_USER,
        military_user=True,
    )
    assert _answer(transaction).answer == Answer.NO
