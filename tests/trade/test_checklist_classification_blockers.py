"""Check 1 of the review checklist lists what approval refuses about the classification: an item
awaiting MOFCOM's answer (REGS Art. 14(4)) and a customs-catalogue HS code on an unlisted item
without a justification, each as an item with where to fix it (issue #15)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.trade.factories_transactions import (
    PDF_BYTES,
    ItemFactory,
    classified_item,
    clean_transaction,
)
from trade.services.control_list import customs_catalogue_load_demo
from trade.services.item import consultation_open, consultation_settle
from trade.services.review import review_checklist, review_context, transaction_refresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference", "public_list")]


def _check_1(transaction):
    return review_checklist(review_context(transaction))[0]


def test_an_item_awaiting_mofcom_is_an_open_item_of_check_1_until_the_answer(world):
    item = classified_item(world)
    transaction = clean_transaction(world, item=item)
    assert _check_1(transaction).passed
    consultation = consultation_open(
        item=item,
        user=world.users["staff"],
        asked_on=timezone.localdate(),
        question="Encoder, 26 bit, accuracy ±1.5 arcsec, used for robot joints.",
        unsure_reason="2B006.b gives the threshold for the system, not for a kit of parts.",
    )
    check = _check_1(transaction)
    assert not check.passed
    [problem] = [p for p in check.blockers if "awaits MOFCOM" in p.message]
    assert problem.url == item.get_absolute_url()
    transaction_refresh(transaction=transaction)
    assert transaction.checks_open >= 1

    consultation_settle(
        consultation=consultation,
        user=world.users["staff"],
        answered_on=timezone.localdate(),
        answer="不属于两用物项出口管制清单所列物项。",
        outcome="not_listed",
        document=SimpleUploadedFile("answer.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    assert not [p for p in _check_1(transaction).problems if "awaits MOFCOM" in p.message]


def test_a_catalogue_hs_code_without_justification_is_an_open_item_of_check_1(world, client):
    item = classified_item(world)  # not listed, HS 9031809090
    transaction = clean_transaction(world, item=item)
    customs_catalogue_load_demo()
    check = _check_1(transaction)
    [problem] = [p for p in check.blockers if "customs catalogue" in p.message]
    assert problem.url == reverse("transactions:item_classify", args=[item.pk])
    client.force_login(world.users["manager"])
    page = client.get(transaction.get_absolute_url()).content.decode()
    assert "is in the customs catalogue" in page


def test_the_same_item_on_two_lines_is_listed_once_and_unclassified_lines_stay_listed(world):
    from trade.services.transaction import transaction_line_add

    item = classified_item(world)
    transaction = clean_transaction(world, item=item)
    customs_catalogue_load_demo()
    for other in (item, ItemFactory(organisation=world.organisation)):
        transaction_line_add(
            transaction=transaction, user=world.users["staff"], item=other, quantity=1, value=1
        )
    messages = [p.message for p in _check_1(transaction).blockers]
    assert sum("customs catalogue" in m for m in messages) == 1
    assert sum("is not classified" in m for m in messages) == 1
