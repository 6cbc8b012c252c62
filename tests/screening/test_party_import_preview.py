"""The party register import is previewed before anything is written (new, updated with the
fields that change, unchanged; row problems by row and column), and the confirmation imports
exactly the previewed file, for the person and organisation that previewed it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from records.models import EventLogEntry
from screening.models import Party, PartyType
from screening.services.parties import party_import_preview
from tests.accounts.factories import MembershipFactory
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db

URL = "parties:import"
# C-1 changes its name and address, C-2 is as in the register, C-3 and the row without a
# number are new.
FILE = (
    "name,party_type,country,address,reference\n"
    "Müller Messtechnik GmbH,customer,DE,Stuttgart,C-1\n"
    "Nordic Sensor AB,customer,SE,Kista,C-2\n"
    "海湾贸易有限公司,end_user,阿联酋,迪拜,C-3\n"
    "Anadolu Hassas Makina,customer,TR,,\n"
)


@pytest.fixture
def register(world):
    PartyFactory(
        organisation=world.organisation,
        name="Müller GmbH",
        party_type=PartyType.CUSTOMER,
        country="DE",
        address="Berlin",
        reference="C-1",
        notes="Key account since 2019",
    )
    PartyFactory(
        organisation=world.organisation,
        name="Nordic Sensor AB",
        party_type=PartyType.CUSTOMER,
        country="SE",
        address="Kista",
        reference="C-2",
    )
    # Another organisation's party with the same number is not this register's.
    PartyFactory(organisation=world.other_organisation, name="Secret", reference="C-3")
    return _state(world.organisation)


def _file(text: str, name: str = "parties.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _state(organisation) -> list:
    return sorted(
        Party.objects.for_organisation(organisation).values_list(
            "reference", "name", "country", "address", "notes", "updated_at"
        )
    )


def test_the_preview_counts_new_updated_and_unchanged_rows(world, register):
    preview = party_import_preview(
        organisation=world.organisation, content=FILE.encode(), filename="parties.csv"
    )
    assert preview.is_valid
    assert preview.summary() == {"rows": 4, "new": 2, "updated": 1, "unchanged": 1, "removed": 0}
    assert preview.new.sample == ["C-3 海湾贸易有限公司", "Anadolu Hassas Makina"]
    # The update names the fields it changes, in the reader's language.
    assert preview.updated.sample == [
        "C-1 Müller Messtechnik GmbH (name (original script), address)"
    ]
    assert preview.unchanged.sample == ["C-2 Nordic Sensor AB"]
    assert _state(world.organisation) == register


def test_the_preview_counts_every_row_but_shows_the_first_ten(world):
    text = "name,country\n" + "".join(f"Party {n},DE\n" for n in range(25))
    preview = party_import_preview(
        organisation=world.organisation, content=text.encode(), filename="p.csv"
    )
    assert preview.new.count == 25 and len(preview.new.sample) == 10


def test_the_preview_page_writes_nothing(world, register):
    log_before = EventLogEntry.objects.count()
    response = world.client("manager").post(reverse(URL), {"file": _file(FILE)})
    assert response.status_code == 200 and response.context["token"]
    page = response.content.decode()
    assert 'data-testid="import-preview"' in page and 'data-testid="import-confirm"' in page
    assert "Müller Messtechnik GmbH" in page
    assert _state(world.organisation) == register
    assert EventLogEntry.objects.count() == log_before


def test_the_confirmation_imports_what_the_preview_said(
    world, register, django_capture_on_commit_callbacks
):
    client = world.client("manager")
    preview_response = client.post(reverse(URL), {"file": _file(FILE)})
    token = preview_response.context["token"]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse(URL), {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("parties:list")
    assert "2 parties added, 1 updated, 1 unchanged" in response.content.decode()
    parties = {p.reference or p.name: p for p in Party.objects.for_organisation(world.organisation)}
    assert len(parties) == 4
    muller = parties["C-1"]
    assert (muller.name, muller.address) == ("Müller Messtechnik GmbH", "Stuttgart")
    # A column the file does not have leaves the party's value as it was.
    assert muller.notes == "Key account since 2019"
    assert (parties["C-3"].country, parties["C-3"].party_type) == ("AE", PartyType.END_USER)
    # The unchanged row was not written.
    nordic_before = next(row for row in register if row[0] == "C-2")
    assert parties["C-2"].updated_at == nordic_before[5]
    assert Party.objects.for_organisation(world.other_organisation).get().name == "Secret"
    # The update is in the event log.
    assert EventLogEntry.objects.filter(object_id=str(muller.pk), action="change").exists()
    # The stashed file is gone: the same confirmation cannot import it twice.
    again = client.post(reverse(URL), {"token": token}, follow=True)
    assert "already imported" in again.content.decode()
    assert Party.objects.for_organisation(world.organisation).count() == 4


def test_a_register_that_changed_since_the_preview_is_not_imported(world, register):
    client = world.client("manager")
    preview_response = client.post(reverse(URL), {"file": _file(FILE)})
    PartyFactory(organisation=world.organisation, name="Gulf Trading", reference="C-3")
    between = _state(world.organisation)
    response = client.post(reverse(URL), {"token": preview_response.context["token"]}, follow=True)
    assert "The party register changed since the preview" in response.content.decode()
    assert _state(world.organisation) == between


@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_nobody_else_can_confirm_a_preview(world, register, persona):
    token = world.client("manager").post(reverse(URL), {"file": _file(FILE)}).context["token"]
    if persona == "colleague":  # another compliance manager of the same organisation
        client = Client()
        client.force_login(
            MembershipFactory(organisation=world.organisation, role=Role.COMPLIANCE_MANAGER).user
        )
    else:
        client = world.client("outsider")
    assert client.post(reverse(URL), {"token": token}).status_code == 403
    assert _state(world.organisation) == register


def test_row_problems_name_row_and_column_and_offer_no_confirmation(world, register):
    bad = FILE + ",customer,DE,,C-4\nX,pirate,火星,,C-5\nY,customer,DE,,C-1\n"
    response = world.client("manager").post(reverse(URL), {"file": _file(bad)})
    assert response.status_code == 200 and "token" not in response.context
    problems = response.context["preview"].problems
    assert [(p.row, p.column) for p in problems] == [
        (6, "name"),
        (7, "party_type"),
        (7, "country"),
        (8, "reference"),
    ]
    assert "火星" in problems[2].message and "row 2" in problems[3].message
    page = response.content.decode()
    assert 'data-testid="import-problems"' in page and 'data-testid="import-confirm"' not in page
    assert _state(world.organisation) == register


def test_row_problems_are_in_the_readers_language(world, register):
    response = world.client("manager").post(
        reverse(URL), {"file": _file(FILE + "X,customer,火星,,\n")}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.context["preview"].problems[0].message == "国家“火星”不是国家名称或 ISO 代码。"


def test_a_file_that_cannot_be_read_keeps_the_form_with_its_error(world, register):
    response = world.client("manager").post(reverse(URL), {"file": _file("price\n3\n")})
    assert response.status_code == 200 and "preview" not in response.context
    assert "the header lacks the column: name" in response.content.decode()
    assert _state(world.organisation) == register
