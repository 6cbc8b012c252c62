"""The lite programme profile: chosen with a confirmation, kept in the history, asking the core
red-flag subset in the transaction review and starting the manual from the concise edition."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Organisation, ProgrammeProfile
from accounts.profiles import LITE_RED_FLAGS
from onboarding import services
from reference.models import RedFlag
from trade.services.review import review_context
from trade.services.transaction import transaction_create

pytestmark = pytest.mark.django_db


def test_lite_needs_a_confirmation_and_an_editor(world):
    organisation = world.organisation
    with pytest.raises(ValidationError) as error:
        services.programme_profile_set(
            organisation=organisation, user=world.users["manager"], profile="lite", confirmed=False
        )
    assert "confirmed" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.programme_profile_set(
            organisation=organisation, user=world.users["staff"], profile="lite", confirmed=True
        )
    assert Organisation.objects.get(pk=organisation.pk).programme_profile == "full"
    services.programme_profile_set(
        organisation=organisation, user=world.users["manager"], profile="lite", confirmed=True
    )
    organisation.refresh_from_db()
    assert organisation.programme_profile == ProgrammeProfile.LITE
    latest = organisation.history.first()
    assert (latest.programme_profile, latest.history_user) == ("lite", world.users["manager"])


def test_the_page_keeps_the_choice_and_the_overview_names_the_profile(world, client):
    client.force_login(world.users["manager"])
    page = client.post(reverse("onboarding:home"), {"profile": "lite"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="lite"' in html and "checked" in html.split('value="lite"')[1][:40]
    assert Organisation.objects.get(pk=world.organisation.pk).programme_profile == "full"
    assert 'data-testid="profile-panel"' not in client.get(reverse("icp:overview")).content.decode()
    page = client.post(reverse("onboarding:home"), {"profile": "lite", "confirmed": "on"})
    assert page.status_code == 302
    assert 'data-testid="profile-panel"' in client.get(reverse("icp:overview")).content.decode()


def _asked(world, reference):
    transaction = transaction_create(
        organisation=world.organisation,
        user=world.users["staff"],
        reference=reference,
        destination_country="DE",
        end_use="Machine tools",
    )
    return {flag.ref_id for flag in review_context(transaction).red_flags}


def test_the_lite_review_asks_the_core_red_flags(world, reference):
    full = _asked(world, "FULL-1")
    assert set(LITE_RED_FLAGS) < full  # every lite flag is a question of the full review
    world.organisation.programme_profile = ProgrammeProfile.LITE
    world.organisation.save()
    lite = _asked(world, "LITE-1")
    assert lite == set(LITE_RED_FLAGS)
    # Every PRC statutory trigger that the reference library verified stays.
    statutory = set(
        RedFlag.objects.filter(
            ref_id__startswith="RF-CN-", verified=True, merged_into=""
        ).values_list("ref_id", flat=True)
    )
    assert statutory <= lite


def test_the_manual_starts_from_the_concise_edition_for_lite(world, client):
    client.force_login(world.users["manager"])
    assert (
        'id="edition-full" value="full" checked'
        in client.get(reverse("icp:manual_home")).content.decode()
    )
    world.organisation.programme_profile = ProgrammeProfile.LITE
    world.organisation.save()
    page = client.get(reverse("icp:manual_home")).content.decode()
    assert 'id="edition-concise" value="concise" checked' in page
