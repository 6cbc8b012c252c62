"""Factories and builders for transactions, items, classifications and licences.

`clean_transaction` builds, through the services, a transaction whose checklist is complete
(so each test can break exactly one thing); `controlled_transaction` adds a listed item, an EUC
and a licence."""

import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from records.services import document_attach
from reference.models import RedFlag
from reference.selectors import current_framework
from screening.models import PartyType
from screening.services.parties import party_screen
from tests.screening.factories_parties import PartyFactory
from trade.models import Answer, ControlListEntry, Item, LicenceDecision, PartyRole
from trade.services.item import classification_review, item_classify
from trade.services.licence import licence_save
from trade.services.transaction import (
    red_flags_answer_many,
    transaction_create,
    transaction_euc_record,
    transaction_licence_decide,
    transaction_line_add,
    transaction_party_add,
    transaction_submit,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = Item

    organisation = None
    name = factory.Sequence(lambda n: f"光电编码器 {n}")
    name_en = factory.Sequence(lambda n: f"Optical encoder {n}")
    model_number = factory.Sequence(lambda n: f"ENC-{n:04d}")
    technical_parameters = "Resolution 23 bit; accuracy ±20 arcsec"
    hs_code = "9031809090"


def control_entry(code="3C004.a", organisation=None):
    entry, _created = ControlListEntry.objects.get_or_create(
        organisation=organisation,
        code=code,
        defaults={"description_en": "Indium phosphide", "description_zh": "磷化铟"},
    )
    return entry


def classified_item(
    world, *, listed: bool = False, reviewed: bool = True, code="3C004.a", **kwargs
):
    item = ItemFactory(organisation=world.organisation, **kwargs)
    if listed:
        control_entry(code)
    item_classify(
        item=item,
        user=world.users["staff"],
        status="listed" if listed else "not_listed",
        control_code=code if listed else "",
        rationale="Compared the parameters with the list entries of category 3 and 6.",
    )
    if reviewed:
        classification_review(
            classification=item.current_classification, user=world.users["manager"]
        )
    item.refresh_from_db()
    return item


def screened_party(world, **kwargs):
    party = PartyFactory(organisation=world.organisation, **kwargs)
    party_screen(party=party, user=world.users["manager"])
    party.refresh_from_db()
    return party


def answer_all_no(transaction, user):
    """Answer "no" to every question the data has not answered (as sales would)."""
    answered = set(
        transaction.red_flag_answers.exclude(answer="").values_list("red_flag_id", flat=True)
    )
    red_flags_answer_many(
        transaction=transaction,
        user=user,
        answers={
            flag: (Answer.NO, "")
            for flag in RedFlag.objects.filter(framework=current_framework(), merged_into="")
            if flag.pk not in answered
        },
    )


PATH_ALL_NO = {
    "temporary_control": "no",
    "national_security": "no",
    "wmd": "no",
    "terrorism": "no",
    "mofcom_notified": "no",
    "military_end_use": "no",
    "party_control_list": "no",
    "party_watch_list": "no",
}


def walk_paths(transaction, user, **answers):
    """Walk the licensing decision path of every line, answering "no" unless told otherwise."""
    from trade.services.licence_path import licence_path_walk

    voucher_case = answers.pop("voucher_case", "")
    paths = [
        licence_path_walk(
            line=line,
            user=user,
            answers=PATH_ALL_NO | answers,
            voucher_case=voucher_case,
        )
        for line in transaction.lines.select_related("transaction", "item").order_by("pk")
    ]
    transaction.refresh_from_db()  # the paths set the licence decision
    return paths


def attach_euc(world, transaction, *, valid_until=None):
    user = world.users["staff"]
    document_attach(
        organisation=world.organisation,
        user=user,
        target=transaction,
        upload=SimpleUploadedFile("euc.pdf", PDF_BYTES, content_type="application/pdf"),
        document_type="end_user_certificate",
    )
    today = timezone.localdate()
    transaction_euc_record(
        transaction=transaction,
        user=user,
        euc_issuer="Novatek Automation GmbH, Stuttgart",
        euc_number="EUC-2025-017",
        euc_issued_on=today - datetime.timedelta(days=10),
        euc_valid_until=valid_until or today + datetime.timedelta(days=180),
    )


def clean_transaction(
    world, *, reference="SO-2025-0001", submit=True, quantity=10, item=None, walk=True, **values
):
    """A transaction (created by staff) whose checklist is complete, in review."""
    staff = world.users["staff"]
    values.setdefault("destination_country", "DE")
    values.setdefault("end_use", "Position feedback for CNC machine tools built by the end user")
    transaction = transaction_create(
        organisation=world.organisation, user=staff, reference=reference, **values
    )
    item = item or classified_item(world)
    transaction_line_add(
        transaction=transaction,
        user=staff,
        item=item,
        quantity=quantity,
        value=Decimal("4700.00"),
        currency="EUR",
    )
    buyer = screened_party(
        world, name=f"Novatek Automation GmbH {reference}", party_type=PartyType.CUSTOMER
    )
    transaction_party_add(transaction=transaction, user=staff, party=buyer, role=PartyRole.BUYER)
    transaction_party_add(transaction=transaction, user=staff, party=buyer, role=PartyRole.END_USER)
    answer_all_no(transaction, staff)
    if walk:
        walk_paths(transaction, world.users["manager"])
        transaction_licence_decide(
            transaction=transaction,
            user=world.users["manager"],
            decision=LicenceDecision.NOT_CONTROLLED,
        )
    if submit:
        transaction_submit(transaction=transaction, user=staff)
    transaction.refresh_from_db()
    return transaction


def make_licence(
    world,
    *,
    items,
    end_users=(),
    quantity_limit=Decimal("50"),
    value_limit=None,
    currency="EUR",
    valid_until=None,
    kind="single",
    destinations=("DE",),
    **extra,
):
    today = timezone.localdate()
    return licence_save(
        organisation=world.organisation,
        user=world.users["manager"],
        items=items,
        end_users=end_users,
        number=f"LIC-{today:%Y}-{ControlListEntry.objects.count()}-{len(items)}-{quantity_limit}",
        kind=kind,
        issued_on=today - datetime.timedelta(days=30),
        valid_from=today - datetime.timedelta(days=30),
        valid_until=valid_until or today + datetime.timedelta(days=300),
        destinations=list(destinations),
        quantity_limit=quantity_limit,
        value_limit=value_limit,
        currency=currency,
        **extra,
    )


def controlled_transaction(
    world, *, reference="SO-2025-0100", quantity=10, licence_limit=Decimal("50"), submit=True
):
    """A complete transaction with a listed item, a valid EUC and a covering single licence."""
    item = classified_item(world, listed=True)
    transaction = clean_transaction(
        world, reference=reference, submit=False, item=item, quantity=quantity, walk=False
    )
    walk_paths(transaction, world.users["manager"])
    end_user = transaction.parties.get(role=PartyRole.END_USER).party
    licence = make_licence(world, items=[item], end_users=[end_user], quantity_limit=licence_limit)
    attach_euc(world, transaction)
    transaction_licence_decide(
        transaction=transaction,
        user=world.users["manager"],
        decision=LicenceDecision.COVERED,
        licence=licence,
    )
    answer_all_no(transaction, world.users["staff"])
    if submit:
        transaction_submit(transaction=transaction, user=world.users["staff"])
    transaction.refresh_from_db()
    return transaction
