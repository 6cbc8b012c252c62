"""A chamber never sees a member's records: the permission table, run as a chamber's people.

The chamber below has the test organisation as a current member that shares its programme
status: the closest a chamber ever gets to a member. For every route of the permission table
that names a record of the test organisation, each of the chamber's people (every role) gets
403 or 404 and a POST changes nothing. Every page without a record in its URL is then opened
as each of them, and none shows the member's parties, transactions or documents.
"""

import pytest
from django.urls import reverse

from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from tests.records.factories import attach
from tests.screening.factories_parties import PartyFactory
from tests.test_permission_table import ROUTES, _database_fingerprint
from trade.services.transaction import transaction_create

CHAMBER_PERSONAS = ["manager", "auditor", "executive", "staff"]
DENIED = {403, 404}
SECRETS = ("SENTINEL-PARTY", "SENTINEL-TX-7", "sentinel-contract")


@pytest.fixture
def chamber_users(world):
    chamber, users = chamber_with_staff(slug="isolation-chamber")
    ChamberMembershipFactory(
        organisation=chamber.organisation, member=world.organisation, shares_status=True
    )
    return users


def _member_secrets(world):
    party = PartyFactory(organisation=world.organisation, name="SENTINEL-PARTY 机密客户")
    transaction_create(
        organisation=world.organisation,
        user=world.users["staff"],
        reference="SENTINEL-TX-7",
        destination_country="DE",
        end_use="Machine tools",
    )
    attach(
        organisation=world.organisation,
        user=world.users["manager"],
        target=party,
        name="sentinel-contract.pdf",
    )


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


RECORD_ROUTES = [route for route in ROUTES if route.is_object_route]
PAGE_ROUTES = [route for route in ROUTES if route.args is None and route.method == "get"]


# The personas are looped inside one test per route: the world is built once per route, which
# keeps this table (some 900 requests) to a few minutes.
@pytest.mark.parametrize("route", RECORD_ROUTES, ids=lambda route: route.id)
def test_chamber_people_never_reach_a_members_record(route, world, chamber_users):
    args = route.args(world)
    if not args:
        pytest.skip("no record of the member in the URL (the chamber's own page)")
    url = reverse(route.name, args=args)
    clients = {persona: _client(chamber_users[persona]) for persona in CHAMBER_PERSONAS}
    before = _database_fingerprint() if route.method == "post" else None  # after the logins
    for persona, client in clients.items():
        if route.method == "post":
            response = client.post(url, route.data(world) if route.data else {})
        else:
            response = client.get(url)
        assert response.status_code in DENIED, (
            f"{route.method.upper()} {url} as the chamber's {persona}: got {response.status_code}"
        )
    if before is not None:
        assert _database_fingerprint() == before, f"POST {url} changed the database"


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda route: route.id)
def test_chamber_pages_show_nothing_of_a_members_records(route, world, chamber_users):
    _member_secrets(world)
    for persona in CHAMBER_PERSONAS:
        response = _client(chamber_users[persona]).get(reverse(route.name))
        assert response.status_code < 500, f"{route.name} as the chamber's {persona}"
        if response.status_code == 200 and not response.streaming:
            content = response.content.decode(errors="replace")
            for secret in SECRETS:
                assert secret not in content, (
                    f"{route.name} shows {secret} to the chamber's {persona}"
                )


@pytest.mark.parametrize("persona", CHAMBER_PERSONAS)
@pytest.mark.parametrize("name", ["chambers:home", "chambers:members_view"])
def test_the_chambers_own_pages_show_nothing_of_a_members_records(
    name, persona, world, chamber_users
):
    _member_secrets(world)
    response = _client(chamber_users[persona]).get(reverse(name))
    if persona == "staff":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    content = response.content.decode()
    assert world.organisation.name in content  # the member is there ...
    for secret in SECRETS:  # ... its records are not
        assert secret not in content
