import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from screening.models import Party, Screening, ScreeningStatus
from screening.services.parties import party_create, party_import
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db


def test_a_new_party_is_screened_at_once(world, public_list):
    party = party_create(
        organisation=world.organisation,
        user=world.users["staff"],
        name="华为技术有限公司",
        country="CN",
    )
    assert party.screening_status == ScreeningStatus.NEEDS_REVIEW
    assert party.screenings.get().source == Screening.Source.PARTY


def test_duplicate_customer_number_is_refused(world):
    party_create(
        organisation=world.organisation, user=None, name="A", reference="C-1", screen=False
    )
    with pytest.raises(ValidationError):
        party_create(
            organisation=world.organisation, user=None, name="B", reference="C-1", screen=False
        )
    party_create(
        organisation=world.other_organisation, user=None, name="B", reference="C-1", screen=False
    )


def test_import_csv_is_all_or_nothing_with_row_errors(world, django_capture_on_commit_callbacks):
    bad = (
        "name,name_latin,party_type,country,reference\nMüller GmbH,,customer,DE,C-1\n"
        ",,customer,DE,C-2\nX,,pirate,ZZ,C-3\nY,,customer,DE,C-1\n"
    )
    with pytest.raises(ValidationError) as caught:
        party_import(
            organisation=world.organisation, user=None, content=bad.encode(), filename="p.csv"
        )
    messages = caught.value.messages
    assert any(m.startswith("Row 3") for m in messages)
    assert any(m.startswith("Row 4") and "pirate" in m for m in messages)
    assert any(m.startswith("Row 4") and "ZZ" in m for m in messages)
    assert any(m.startswith("Row 5") and "C-1" in m for m in messages)
    assert not Party.objects.exists()


def test_import_xlsx_creates_and_updates_and_rescreens(
    world, public_list, django_capture_on_commit_callbacks
):
    existing = PartyFactory(organisation=world.organisation, name="Old name", reference="C-1")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["name", "name_latin", "party_type", "country", "address", "reference", "is_individual"]
    )
    sheet.append(["Müller Messtechnik GmbH", "", "客户", "DE", "Stuttgart", "C-1", ""])
    sheet.append(["ООО «ТехноСенсор»", "OOO TekhnoSensor", "end_user", "RU", "", "C-2", ""])
    sheet.append(["华为技术有限公司", "Huawei Technologies", "Customer", "CN", "", "", "no"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = party_import(
            organisation=world.organisation,
            user=world.users["manager"],
            content=buffer.getvalue(),
            filename="parties.xlsx",
        )
    assert len(outcome.created) == 2 and outcome.updated == [existing]
    existing.refresh_from_db()
    assert existing.name == "Müller Messtechnik GmbH"
    statuses = dict(Party.objects.values_list("name", "screening_status"))
    assert statuses["华为技术有限公司"] == ScreeningStatus.NEEDS_REVIEW
    assert statuses["ООО «ТехноСенсор»"] == ScreeningStatus.CLEAR


def test_party_list_search_filter_and_export(world):
    PartyFactory(organisation=world.organisation, name="Anadolu Hassas Makina", country="TR")
    PartyFactory(organisation=world.organisation, name="Nordic Sensor AB", country="SE")
    PartyFactory(organisation=world.other_organisation, name="Anadolu Secret")
    client = world.client("staff")
    html = client.get(reverse("parties:list") + "?q=anadolu").content.decode()
    assert "Anadolu Hassas Makina" in html and "Nordic" not in html and "Secret" not in html
    html = client.get(reverse("parties:list") + "?country=SE").content.decode()
    assert "Nordic Sensor AB" in html and "Anadolu" not in html
    export = client.get(reverse("parties:list") + "?export=csv")
    body = b"".join(export.streaming_content).decode()
    assert "Anadolu Hassas Makina" in body and "Secret" not in body


def test_party_list_queries_do_not_grow_with_rows(world, django_assert_max_num_queries):
    for n in range(200):
        PartyFactory(organisation=world.organisation, name=f"Party {n}")
    client = world.client("manager")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("parties:list")).status_code == 200


def test_screen_now_and_page_flow(world, public_list):
    client = world.client("manager")
    response = client.post(
        reverse("parties:create"),
        {"name": "华为技术有限公司", "party_type": "customer", "country": "CN", "is_active": "on"},
    )
    party = Party.objects.get()
    assert response.url == party.get_absolute_url()
    response = client.post(reverse("parties:screen", args=[party.pk]))
    assert party.screenings.count() == 2
    page = client.get(party.get_absolute_url()).content.decode()
    assert "screen-now" in page and "needs a decision" in page
