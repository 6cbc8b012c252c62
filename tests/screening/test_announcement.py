"""A compliance manager adds the parties of an announcement to the organisation's own list; every
party is re-screened against it."""

import datetime

import pytest
from django.urls import reverse

from core.models import Job
from screening.jobs import RESCREEN_KIND
from screening.models import ScreeningStatus
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db


def test_announcement_entries_become_a_version_and_flag_matching_parties(
    world, private_list, django_capture_on_commit_callbacks
):
    party = PartyFactory(
        organisation=world.organisation, name="Saronic Technologies Inc.", country="US"
    )
    client = world.client("manager")
    url = reverse("screening:announcement_add", args=[private_list.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "announcement": "商务部公告2025年第9号",
                "announced_on": "2025-10-09",
                "names": "Saronic Technologies, Inc.\n\nRed Cat Holdings\nRed Cat Holdings\n",
                "country": "US",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "2 entries added as version 2" in response.content.decode()
    private_list.refresh_from_db()
    version = private_list.current_version
    assert version.number == 2 and version.entity_count == 3  # the earlier entry stays
    entries = {e.name: e for e in version.entities.all()}
    saronic = entries["Saronic Technologies, Inc."]
    assert saronic.programme == "商务部公告2025年第9号"
    assert saronic.listed_on == datetime.date(2025, 10, 9)
    assert saronic.countries == ["US"]
    assert Job.objects.filter(kind=RESCREEN_KIND, organisation=world.organisation).exists()
    party.refresh_from_db()
    assert party.screening_status == ScreeningStatus.NEEDS_REVIEW

    # The same announcement again adds nothing.
    response = client.post(
        url,
        {
            "announcement": "商务部公告2025年第9号",
            "announced_on": "2025-10-09",
            "names": "Red Cat Holdings",
            "country": "US",
        },
    )
    assert response.status_code == 302
    private_list.refresh_from_db()
    assert private_list.current_version.number == 2


def test_an_announcement_without_names_is_refused_with_the_input_kept(world, private_list):
    response = world.client("manager").post(
        reverse("screening:announcement_add", args=[private_list.pk]),
        {"announcement": "商务部公告2025年第9号", "announced_on": "2025-10-09", "names": " \n"},
    )
    assert response.status_code == 200
    assert "商务部公告2025年第9号" in response.content.decode()
    private_list.refresh_from_db()
    assert private_list.current_version.number == 1
