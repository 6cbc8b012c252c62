"""Workbooks people actually have: Chinese headings and Chinese country names (issue #12)."""

import pytest
from django.core.exceptions import ValidationError

from core.countries import country_code
from core.imports import canonical_column
from screening.models import Party
from screening.services.parties import party_import
from trade.models import Transaction
from trade.services.transaction_import import transactions_import


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("CN", "CN"),
        ("cn", "CN"),
        ("CHN", "CN"),
        ("中国", "CN"),
        ("德国", "DE"),
        ("Germany", "DE"),
        ("阿联酋", "AE"),
        ("United Arab Emirates", "AE"),
        ("", ""),
        ("火星", None),
        ("ZZ", None),
    ],
)
def test_country_code(value, code):
    assert country_code(value) == code


def test_canonical_column():
    assert canonical_column(" 客户名称 ") == "name"
    assert canonical_column("Country") == "country"
    assert canonical_column("国家/地区") == "country"


def test_a_customer_workbook_with_chinese_headings_and_country_names_imports(
    world, django_capture_on_commit_callbacks
):
    content = "客户名称,英文名称,国家,地址,客户编号\n海湾贸易公司,Gulf Trading,阿联酋,迪拜,C-1\n"
    with django_capture_on_commit_callbacks(execute=False):
        outcome = party_import(
            organisation=world.organisation,
            user=world.users["manager"],
            content=content.encode("utf-8"),
            filename="客户.csv",
        )
    party = Party.objects.get(pk=outcome.created[0].pk)
    assert (party.name, party.name_latin, party.country, party.reference) == (
        "海湾贸易公司",
        "Gulf Trading",
        "AE",
        "C-1",
    )


def test_an_unknown_country_names_its_row_and_value(world):
    content = "客户名称,国家\n甲公司,中国\n乙公司,火星\n"
    with pytest.raises(ValidationError) as caught:
        party_import(
            organisation=world.organisation,
            user=world.users["manager"],
            content=content.encode("gb18030"),
            filename="customers.csv",
        )
    assert any(m.startswith("Row 3:") and "火星" in m for m in caught.value.messages)
    assert not Party.objects.exists()


def test_an_order_workbook_with_chinese_headings_imports(world, django_capture_on_commit_callbacks):
    content = (
        "订单号,目的国,最终用途,品名,数量,金额,币种,买方,买方国家\n"
        "SO-ZH-1,德国,生产线改造,伺服电机,2,1000,EUR,柏林机械,德国\n"
    )
    with django_capture_on_commit_callbacks(execute=False):
        outcome = transactions_import(
            organisation=world.organisation,
            user=world.users["staff"],
            content=content.encode("utf-8"),
            filename="订单.csv",
        )
    transaction = Transaction.objects.get(pk=outcome.transactions[0].pk)
    assert (transaction.reference, transaction.destination_country) == ("SO-ZH-1", "DE")
    buyer = transaction.parties.get().party
    assert (buyer.name, buyer.country) == ("柏林机械", "DE")


@pytest.mark.parametrize("name", ["parties:import", "transactions:transaction_import"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_each_import_page_offers_a_template_that_imports(world, name, file_format):
    from django.urls import reverse

    client = world.client("manager")
    page = client.get(reverse(name))
    assert f"?template={file_format}" in page.content.decode()
    response = client.get(reverse(name), {"template": file_format})
    assert response.status_code == 200
    assert f"-template.{file_format}" in response["Content-Disposition"]
    upload = ("t." + file_format, response.content)
    service = party_import if name == "parties:import" else transactions_import
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=False):
        outcome = service(
            organisation=world.organisation,
            user=world.users["manager"],
            content=upload[1],
            filename=upload[0],
        )
    assert outcome
