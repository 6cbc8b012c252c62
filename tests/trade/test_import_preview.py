"""Every list import is previewed before anything is written; the confirmation imports the same
stashed file, exactly as previewed, for the user and organisation that previewed it."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from core.imports import STASH_DIR
from records.models import EventLogEntry
from screening.models import Party
from tests.accounts.factories import MembershipFactory
from trade.models import (
    ControlListEntry,
    ControlListVersion,
    CustomsCatalogueEntry,
    Item,
    Transaction,
)
from trade.services.control_list import control_list_import

pytestmark = pytest.mark.django_db

BEFORE = (
    "code,description_zh,description_en,category\n"
    "1C351,人及人畜共患病原体,Human and zoonotic pathogens,1\n"
    "3A001.a.1.a,抗辐射集成电路,Radiation-hardened integrated circuits,3\n"
    "2B006.b,角位移测量仪器,Angular displacement measuring instruments,2\n"
)
# 1C351 unchanged, 3A001.a.1.a updated, 2B006.b no longer in the file, 5A002 and 6A003 new.
AFTER = (
    "code,description_zh,description_en,category\n"
    "1C351,人及人畜共患病原体,Human and zoonotic pathogens,1\n"
    "3A001.a.1.a,抗辐射集成电路（修订）,Radiation-hardened integrated circuits (revised),3\n"
    "5A002,信息安全系统,Information security systems,5\n"
    "6A003,照相机,Cameras,6\n"
)
URL = "transactions:control_list_import"


def _file(text: str, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _state(organisation) -> list:
    return sorted(
        ControlListEntry.objects.filter(organisation=organisation).values_list(
            "code", "description_en", "is_active"
        )
    )


@pytest.fixture
def existing_list(world):
    control_list_import(
        content=BEFORE.encode(), organisation=world.organisation, user=world.users["manager"]
    )
    return _state(world.organisation)


def _stashed() -> list[str]:
    try:
        return default_storage.listdir(STASH_DIR)[1]
    except FileNotFoundError:
        return []


def test_the_preview_writes_nothing_and_says_what_would_change(world, existing_list):
    stashed_before = len(_stashed())
    log_before = EventLogEntry.objects.count()
    response = world.client("manager").post(reverse(URL), {"file": _file(AFTER)})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.is_valid and preview.rows_read == 4
    assert preview.summary() == {"rows": 4, "new": 2, "updated": 1, "unchanged": 1, "removed": 1}
    assert [label.split()[0] for label in preview.new.sample] == ["5A002", "6A003"]
    assert preview.updated.sample[0].startswith("3A001.a.1.a")
    assert preview.removed.sample[0].startswith("2B006.b")
    page = response.content.decode()
    assert 'data-testid="import-preview"' in page and 'data-testid="import-confirm"' in page
    assert _state(world.organisation) == existing_list
    assert ControlListVersion.objects.filter(organisation=world.organisation).count() == 1
    assert EventLogEntry.objects.count() == log_before
    assert len(_stashed()) == stashed_before + 1


def test_the_confirmation_writes_exactly_what_the_preview_said(world, existing_list):
    client = world.client("manager")
    preview_response = client.post(reverse(URL), {"file": _file(AFTER)})
    preview = preview_response.context["preview"]
    response = client.post(reverse(URL), {"token": preview_response.context["token"]})
    assert response.status_code == 302 and response.url == reverse("transactions:control_list")
    version = ControlListVersion.objects.filter(organisation=world.organisation).latest("number")
    assert version.number == 2
    assert version.change_counts == {
        "added": preview.new.count,
        "changed": preview.updated.count,
        "removed": preview.removed.count,
    }
    active = {code for code, _d, is_active in _state(world.organisation) if is_active}
    assert active == {"1C351", "3A001.a.1.a", "5A002", "6A003"}
    # The stashed file is gone: the same confirmation cannot import it twice.
    again = client.post(reverse(URL), {"token": preview_response.context["token"]}, follow=True)
    assert "already imported" in again.content.decode()
    assert ControlListVersion.objects.filter(organisation=world.organisation).count() == 2


@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_nobody_else_can_confirm_a_preview(world, existing_list, persona):
    preview_response = world.client("manager").post(reverse(URL), {"file": _file(AFTER)})
    token = preview_response.context["token"]
    if persona == "colleague":  # another compliance manager of the same organisation
        client = Client()
        client.force_login(
            MembershipFactory(organisation=world.organisation, role=Role.COMPLIANCE_MANAGER).user
        )
    else:
        client = world.client("outsider")
    response = client.post(reverse(URL), {"token": token})
    assert response.status_code == 403
    assert _state(world.organisation) == existing_list
    assert not ControlListEntry.objects.filter(organisation=world.other_organisation).exists()


def test_a_forged_token_is_refused_and_changes_nothing(world, existing_list):
    response = world.client("manager").post(reverse(URL), {"token": "forged"}, follow=True)
    assert "cannot be read" in response.content.decode()
    assert _state(world.organisation) == existing_list


def test_a_stashed_file_that_changed_is_refused(world, existing_list):
    client = world.client("manager")
    preview_response = client.post(reverse(URL), {"file": _file(AFTER)})
    name = sorted(_stashed(), key=lambda n: default_storage.get_modified_time(f"{STASH_DIR}/{n}"))[
        -1
    ]
    path = f"{STASH_DIR}/{name}"
    default_storage.delete(path)
    default_storage.save(path, _file(AFTER.replace("Cameras", "Telescopes")))
    response = client.post(reverse(URL), {"token": preview_response.context["token"]}, follow=True)
    assert "changed since the preview" in response.content.decode()
    assert _state(world.organisation) == existing_list


def test_a_list_that_changed_since_the_preview_is_not_imported(world, existing_list):
    client = world.client("manager")
    preview_response = client.post(reverse(URL), {"file": _file(AFTER)})
    # Someone imports another file in between: the preview no longer says what would happen.
    control_list_import(
        content=(BEFORE + "5A002,信息安全系统,Information security systems,5\n").encode(),
        organisation=world.organisation,
        user=world.users["manager"],
    )
    between = _state(world.organisation)
    response = client.post(reverse(URL), {"token": preview_response.context["token"]}, follow=True)
    assert "The list changed since the preview" in response.content.decode()
    assert _state(world.organisation) == between


def test_row_problems_name_row_and_column_and_offer_no_confirmation(world, existing_list):
    bad = AFTER + "XX,坏,Bad,1\n9A999,,,9\n1C351,重复,Twice,1\n"
    response = world.client("manager").post(reverse(URL), {"file": _file(bad)})
    assert response.status_code == 200 and "token" not in response.context
    problems = response.context["preview"].problems
    assert [(p.row, p.column) for p in problems] == [
        (6, "code"),
        (7, "description_zh"),
        (8, "code"),
    ]
    assert "already appears in row 2" in problems[2].message
    page = response.content.decode()
    assert 'data-testid="import-problems"' in page and 'data-testid="import-confirm"' not in page
    assert _state(world.organisation) == existing_list


def test_row_problems_are_in_the_readers_language(world, existing_list):
    response = world.client("manager").post(
        reverse(URL), {"file": _file(AFTER + "XX,坏,Bad,1\n")}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    problem = response.context["preview"].problems[0]
    assert problem.message == "“XX”不是管制编码（例如 1C351 或 3A001.a.1.a）。"


def test_a_file_that_cannot_be_read_keeps_the_form_with_its_error(world, existing_list):
    response = world.client("manager").post(reverse(URL), {"file": _file("name,price\nwidget,3\n")})
    assert response.status_code == 200 and "preview" not in response.context
    assert response.context["form"].errors
    assert "the header needs code" in response.content.decode()
    assert _state(world.organisation) == existing_list


def test_the_customs_catalogue_is_previewed_then_imported_with_its_edition(world):
    client = world.client("manager")
    url = reverse("transactions:customs_catalogue_import")
    text = (
        "hs_code,description_zh,description_en,control_codes\n"
        "9031809090,其他测量或检验仪器,Other measuring instruments,2B006.b\n"
    )
    preview_response = client.post(url, {"file": _file(text, "cat.csv"), "edition": "2026"})
    assert preview_response.context["preview"].summary()["new"] == 1
    assert not CustomsCatalogueEntry.objects.filter(organisation=world.organisation).exists()
    assert client.post(url, {"token": preview_response.context["token"]}).status_code == 302
    entry = CustomsCatalogueEntry.objects.get(organisation=world.organisation)
    assert (entry.hs_code, entry.edition) == ("9031809090", "2026")


# Three lines of two orders; two new buyers and two new items (one named twice).
ORDERS = (
    "reference,destination_country,end_use,item_name,item_model,quantity,value,currency,"
    "buyer_name,buyer_country\n"
    "SO-P-1,VN,CNC retrofits,光栅尺,LS-300,2,800,USD,Công ty Cơ khí Hà Nội,VN\n"
    "SO-P-1,VN,CNC retrofits,绝对值编码器,AE-58,1,300,USD,Công ty Cơ khí Hà Nội,VN\n"
    "SO-P-2,马来西亚,Semiconductor test handlers,绝对值编码器,AE-58,3,900,USD,"
    "Penang Precision Sdn Bhd,MY\n"
)
ORDERS_URL = "transactions:transaction_import"


def test_a_transaction_import_is_previewed_then_creates_what_the_preview_said(
    world, django_capture_on_commit_callbacks
):
    client = world.client("manager")
    response = client.post(reverse(ORDERS_URL), {"file": _file(ORDERS, "orders.csv")})
    preview = response.context["preview"]
    assert preview.summary() == {
        "rows": 3,
        "new": 2,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "parties": 2,
        "items": 2,
    }
    assert preview.new.sample[1].startswith("SO-P-2 → MY")
    assert not Transaction.objects.exists() and not Party.objects.exists()
    assert not Item.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        confirmed = client.post(reverse(ORDERS_URL), {"token": response.context["token"]})
    assert confirmed.status_code == 302
    transactions = Transaction.objects.for_organisation(world.organisation)
    assert sorted(transactions.values_list("reference", flat=True)) == ["SO-P-1", "SO-P-2"]
    assert Party.objects.for_organisation(world.organisation).count() == 2
    assert Item.objects.for_organisation(world.organisation).count() == 2


def test_a_transaction_import_names_each_bad_cell_and_writes_nothing(world):
    bad = ORDERS + "SO-P-3,ZZ,,光栅尺,LS-300,-1,800,USD,,\n"
    response = world.client("manager").post(reverse(ORDERS_URL), {"file": _file(bad, "o.csv")})
    assert response.status_code == 200 and "token" not in response.context
    problems = {(p.row, p.column) for p in response.context["preview"].problems}
    assert problems == {(5, "end_use"), (5, "destination_country"), (5, "quantity")}
    assert not Transaction.objects.exists()


def test_another_organisation_cannot_confirm_a_transaction_import(world):
    response = world.client("manager").post(reverse(ORDERS_URL), {"file": _file(ORDERS, "o.csv")})
    outsider = world.client("outsider").post(
        reverse(ORDERS_URL), {"token": response.context["token"]}
    )
    assert outsider.status_code == 403 and not Transaction.objects.exists()


def test_a_file_of_the_wrong_kind_keeps_the_transaction_form_with_its_error(world):
    response = world.client("manager").post(
        reverse(ORDERS_URL), {"file": _file("reference,value\nSO-1,3\n", "o.csv")}
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert "preview" not in response.context and not Transaction.objects.exists()
