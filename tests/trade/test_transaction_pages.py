"""Pages, import, API, PDF and query counts for transaction review."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.tokens import ApiToken, token_generate, token_hash
from screening.models import Party
from tests.screening.factories_parties import PartyFactory
from tests.trade.factories_transactions import ItemFactory, classified_item, clean_transaction
from trade.models import (
    ControlListEntry,
    Item,
    Transaction,
    TransactionItem,
    TransactionParty,
    TransactionState,
)
from trade.services.control_list import control_list_import, control_list_load_starter_set
from trade.services.transaction import transaction_approve, transaction_create

pytestmark = pytest.mark.usefixtures("reference", "public_list")


def _token(world, persona="staff"):
    raw = token_generate()
    ApiToken.objects.create(
        organisation=world.organisation if persona != "outsider" else world.other_organisation,
        user=world.users[persona],
        name="ERP",
        key_prefix=raw[:8],
        key_hash=token_hash(raw),
    )
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


ORDER = {
    "reference": "SO-API-1",
    "destination_country": "IT",
    "end_use": "Encoders for packaging machines built by the end user",
    "parties": [
        {
            "role": "buyer",
            "name": "Meccanica Lombarda S.p.A.",
            "country": "IT",
            "address": "Via Roma 1, Milano",
        },
        {"role": "end_user", "name": "Meccanica Lombarda S.p.A.", "country": "IT"},
    ],
    "items": [
        {
            "name": "绝对值编码器",
            "model": "AE-58",
            "quantity": "12",
            "value": "3600.00",
            "currency": "EUR",
        }
    ],
}


def test_api_pushes_an_order_and_reads_back_the_decision(world, client):
    response = client.post(
        "/api/v1/transactions", ORDER, content_type="application/json", **_token(world)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == TransactionState.IN_REVIEW and body["may_ship"] is False
    assert {c["code"] for c in body["checks"]} == {
        "classification",
        "screening",
        "red_flags",
        "euc",
        "licence",
    }
    transaction = Transaction.objects.get(reference="SO-API-1")
    assert transaction.source == Transaction.Source.API
    assert (
        transaction.parties.count() == 2
        and Party.objects.filter(name="Meccanica Lombarda S.p.A.").count() == 1
    )
    again = client.post(
        "/api/v1/transactions", ORDER, content_type="application/json", **_token(world)
    )
    assert again.status_code == 409
    read = client.get("/api/v1/transactions/SO-API-1", **_token(world, "auditor"))
    assert read.status_code == 200 and read.json()["reference"] == "SO-API-1"


def test_api_refuses_bad_input_and_other_organisations(world, client):
    bad = client.post(
        "/api/v1/transactions",
        {**ORDER, "destination_country": "XX", "items": []},
        content_type="application/json",
        **_token(world),
    )
    assert bad.status_code == 400 and "destination_country" in bad.json() and "items" in bad.json()
    client.post("/api/v1/transactions", ORDER, content_type="application/json", **_token(world))
    assert (
        client.get("/api/v1/transactions/SO-API-1", **_token(world, "outsider")).status_code == 404
    )
    # auditors read, but do not push orders
    assert (
        client.post(
            "/api/v1/transactions",
            {**ORDER, "reference": "X"},
            content_type="application/json",
            **_token(world, "auditor"),
        ).status_code
        == 403
    )


# persona -> (POST a new order, GET the decision on an order of acme) with the persona's own token;
# the outsider's token acts in their own organisation, where acme's order does not exist.
API_TABLE = {
    "manager": (201, 200),
    "staff": (201, 200),
    "auditor": (403, 200),
    "executive": (403, 200),
    "outsider": (201, 404),
}


@pytest.mark.parametrize("persona, expected", API_TABLE.items())
def test_api_permission_table(world, client, persona, expected):
    client.post("/api/v1/transactions", ORDER, content_type="application/json", **_token(world))
    created = client.post(
        "/api/v1/transactions",
        {**ORDER, "reference": f"SO-{persona}"},
        content_type="application/json",
        **_token(world, persona),
    )
    read = client.get("/api/v1/transactions/SO-API-1", **_token(world, persona))
    assert (created.status_code, read.status_code) == expected
    if created.status_code == 403:
        role = {"auditor": "Auditor", "executive": "Management"}[persona]
        assert created.json()["detail"] == (
            "This endpoint is for Compliance manager, Staff; this API token's user has the "
            f"role {role}."
        )
        assert not Transaction.objects.filter(reference=f"SO-{persona}").exists()


def test_api_refusal_in_the_callers_language(world, client):
    refused = client.post(
        "/api/v1/transactions",
        ORDER,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        **_token(world, "executive"),
    )
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert "管理层" in detail and "合规经理" in detail and "Management" not in detail


CSV_GOOD = (
    "reference,destination_country,end_use,item_name,item_model,quantity,value,currency,end_user_name,end_user_country,buyer_name,buyer_country\n"
    "SO-IMP-1,VN,CNC retrofits,绝对值编码器,AE-58,5,1500,USD,"
    "Công ty Cơ khí Hà Nội,VN,Công ty Cơ khí Hà Nội,VN\n"
    "SO-IMP-1,VN,CNC retrofits,光栅尺,LS-300,2,800,USD,Công ty Cơ khí Hà Nội,VN,,\n"
    "SO-IMP-2,MY,Semiconductor test handlers,绝对值编码器,AE-58,3,900,USD,"
    "Penang Precision Sdn Bhd,MY,,\n"
)


def test_import_creates_transactions_parties_and_items(world):
    from trade.services.transaction_import import transactions_import

    outcome = transactions_import(
        organisation=world.organisation,
        user=world.users["staff"],
        content=CSV_GOOD.encode(),
        filename="orders.csv",
    )
    assert [t.reference for t in outcome.transactions] == ["SO-IMP-1", "SO-IMP-2"]
    first = Transaction.objects.get(reference="SO-IMP-1")
    assert first.lines.count() == 2 and first.parties.count() == 2
    assert outcome.parties_created == 2 and outcome.items_created == 2


def test_import_is_all_or_nothing_with_row_errors(world):
    from django.core.exceptions import ValidationError

    from trade.services.transaction_import import transactions_import

    bad = CSV_GOOD + "SO-IMP-3,ZZ,,绝对值编码器,AE-58,-1,900,USD,,,,\n"
    with pytest.raises(ValidationError) as caught:
        transactions_import(
            organisation=world.organisation,
            user=world.users["staff"],
            content=bad.encode(),
            filename="orders.csv",
        )
    messages = caught.value.messages
    assert any(m.startswith("Row 5:") and "end_use" in m for m in messages)
    assert any("ZZ" in m for m in messages) and any("quantity" in m for m in messages)
    assert not Transaction.objects.exists() and not Item.objects.exists()


def test_import_xlsx(world):
    from openpyxl import Workbook

    from trade.services.transaction_import import transactions_import

    workbook = Workbook()
    sheet = workbook.active
    for row in CSV_GOOD.splitlines():
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = transactions_import(
        organisation=world.organisation,
        user=world.users["staff"],
        content=buffer.getvalue(),
        filename="orders.xlsx",
    )
    assert len(outcome.transactions) == 2


def test_control_list_import_and_search_in_both_languages(world):
    outcome = control_list_load_starter_set()
    assert outcome.created >= 29
    assert control_list_load_starter_set().created == 0  # idempotent
    from trade.selectors_transactions import control_list_search

    assert [
        e.code for e in control_list_search(organisation=world.organisation, query="磷化铟")
    ] == ["3C004.a"]
    assert "3C004.a" in [
        e.code
        for e in control_list_search(organisation=world.organisation, query="indium phosphide")
    ]
    assert [e.code for e in control_list_search(organisation=world.organisation, query="3C004")][
        :3
    ] == ["3C004.a", "3C004.b", "3C004.c"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        control_list_import(content=b"code,description_en\n1C351,Pathogens\nXYZ,Bad\n1C351,Twice\n")
    assert len(caught.value.messages) == 2
    assert not ControlListEntry.objects.filter(code="1C351").exists()


def test_classification_history_and_rules(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    from trade.services.item import classification_review, item_classify

    item = classified_item(world)
    first = item.current_classification
    with pytest.raises(ValidationError):
        item_classify(
            item=item,
            user=world.users["staff"],
            status="listed",
            control_code="9Z999",
            rationale="Looks listed to me, really.",
        )
    ControlListEntry.objects.create(
        code="2B006.b", description_en="Angular displacement measuring instruments"
    )
    second = item_classify(
        item=item,
        user=world.users["staff"],
        status="listed",
        control_code="2B006.b",
        rationale="Angular accuracy 0.0002 degrees, better than the 2B006.b threshold.",
    )
    first.refresh_from_db()
    assert first.superseded_at is not None and item.classifications.count() == 2
    with pytest.raises(PermissionDenied):
        classification_review(classification=second, user=world.users["staff"])  # not a manager
    own = item_classify(
        item=item,
        user=world.users["manager"],
        status="not_listed",
        rationale="Re-measured: accuracy 0.001 degrees, below the threshold.",
    )
    with pytest.raises(ValidationError, match="own"):
        classification_review(classification=own, user=world.users["manager"])
    with pytest.raises(ValidationError, match="superseded"):
        classification_review(classification=second, user=world.users["manager"])


def test_the_transaction_page_shows_the_checklist_and_who_can_approve(world):
    transaction = clean_transaction(world)
    response = world.client("manager").get(transaction.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="checklist"' in content and 'data-testid="approve"' in content
    assert str(world.users["manager"]) in content
    staff_view = world.client("staff").get(transaction.get_absolute_url()).content.decode()
    assert (
        'data-testid="approve"' not in staff_view
        and "A compliance manager reviews and decides" in staff_view
    )


def test_approve_through_the_page(world):
    transaction = clean_transaction(world)
    response = world.client("manager").post(
        reverse("transactions:transaction_approve", args=[transaction.pk]), {"note": "fine"}
    )
    assert response.status_code == 302
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.APPROVED


def test_review_record_pdf(world):
    transaction = clean_transaction(world)
    transaction_approve(transaction=transaction, user=world.users["manager"])
    response = world.client("auditor").get(
        reverse("transactions:transaction_pdf", args=[transaction.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "SO-2025-0001" in text and "Review checklist" in text and "Approved by" in text


def _many_transactions(world, count=200):
    item = ItemFactory(organisation=world.organisation)
    party = PartyFactory(organisation=world.organisation)
    for n in range(count):
        transaction = Transaction.objects.create(
            organisation=world.organisation,
            reference=f"BULK-{n}",
            destination_country="DE",
            end_use="x",
            state=TransactionState.IN_REVIEW,
            created_by=world.users["staff"],
        )
        TransactionItem.objects.create(
            organisation=world.organisation, transaction=transaction, item=item, quantity=1, value=1
        )
        TransactionParty.objects.create(
            organisation=world.organisation, transaction=transaction, role="end_user", party=party
        )
    return transaction


def test_queue_query_count_is_fixed(world, django_assert_max_num_queries):
    _many_transactions(world)
    client = world.client("manager")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("transactions:queue") + "?state=in_review")
    assert response.status_code == 200


def test_detail_query_count_does_not_grow_with_lines_and_parties(
    world, django_assert_max_num_queries
):
    transaction = transaction_create(
        organisation=world.organisation,
        user=world.users["staff"],
        reference="BIG",
        destination_country="DE",
        end_use="x",
    )
    for n in range(200):
        TransactionItem.objects.create(
            organisation=world.organisation,
            transaction=transaction,
            item=ItemFactory(organisation=world.organisation),
            quantity=1,
            value=1,
        )
        TransactionParty.objects.create(
            organisation=world.organisation,
            transaction=transaction,
            role="consignee",
            party=PartyFactory(organisation=world.organisation, name=f"Consignee {n}"),
        )
    client = world.client("manager")
    with django_assert_max_num_queries(60):
        response = client.get(transaction.get_absolute_url())
    assert response.status_code == 200


def test_parties_and_items_are_found_by_number_or_name_on_the_page(world):
    transaction = transaction_create(
        organisation=world.organisation,
        user=world.users["staff"],
        reference="SO-PAGE-1",
        destination_country="DE",
        end_use="x",
    )
    PartyFactory(
        organisation=world.organisation, name="Müller Messtechnik GmbH", reference="C-1001"
    )
    PartyFactory(organisation=world.organisation, name="Müller Antriebe AG", reference="C-1002")
    ItemFactory(organisation=world.organisation, reference="ENC-R58", model_number="JC-AE58")
    client = world.client("staff")
    url = reverse("transactions:party_add", args=[transaction.pk])
    response = client.post(url, {"role": "end_user", "party": "Müller"}, follow=True)
    assert "Several parties match" in response.content.decode()
    assert not transaction.parties.exists()
    client.post(url, {"role": "end_user", "party": "C-1001"})
    assert transaction.parties.get().party.reference == "C-1001"
    client.post(
        reverse("transactions:line_add", args=[transaction.pk]),
        {"item": "JC-AE58", "quantity": "3", "unit": "pcs", "value": "900", "currency": "EUR"},
    )
    assert transaction.lines.get().item.reference == "ENC-R58"
