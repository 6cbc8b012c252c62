"""The ERP API: token authentication, validation, limits, scoping, and its own permission table
(the shared table logs in with sessions, which the API does not accept)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.roles import Role
from accounts.tokens import ApiToken, api_token_create, api_token_revoke, token_hash
from screening.models import Screening

pytestmark = pytest.mark.django_db

URL = "/api/v1/screen"


def client_for(world, persona, organisation=None):
    organisation = organisation or (
        world.other_organisation if persona == "outsider" else world.organisation
    )
    token, raw = api_token_create(
        organisation=organisation, user=world.users[persona], name=f"{persona} ERP"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client, token


def test_url_is_exactly_as_specified():
    assert reverse("api:screen") == URL


# persona -> expected status for a valid request made with that persona's own token
API_TABLE = {"manager": 200, "staff": 200, "auditor": 403, "executive": 403, "outsider": 200}


@pytest.mark.parametrize("persona, expected", API_TABLE.items())
def test_api_permission_table(world, public_list, persona, expected):
    client, _token = client_for(world, persona)
    response = client.post(URL, {"parties": [{"name": "Acme"}]}, format="json")
    assert response.status_code == expected
    if expected == 403:  # says who may screen, and the caller's own role
        role = {"auditor": "Auditor", "executive": "Management"}[persona]
        assert response.json()["detail"] == (
            "This endpoint is for Compliance manager, Staff; this API token's user has the "
            f"role {role}."
        )


def test_the_refusal_is_in_the_callers_language(world, public_list):
    client, _token = client_for(world, "auditor")
    response = client.post(
        URL, {"parties": [{"name": "Acme"}]}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "合规经理、员工" in detail and "审计员" in detail
    assert "Auditor" not in detail


def test_the_role_is_read_from_the_membership_at_each_call(world, public_list):
    """A token keeps working only as far as its user's current role allows."""
    client, _token = client_for(world, "manager")
    assert client.post(URL, {"parties": [{"name": "A"}]}, format="json").status_code == 200
    Membership.objects.filter(user=world.users["manager"]).update(role=Role.AUDITOR)
    assert client.post(URL, {"parties": [{"name": "A"}]}, format="json").status_code == 403


def test_no_token_bad_token_and_session_get_401(world, public_list):
    assert APIClient().post(URL, {"parties": [{"name": "A"}]}, format="json").status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token icp_not-a-real-token")
    assert bad.post(URL, {"parties": [{"name": "A"}]}, format="json").status_code == 401
    session = APIClient()
    session.force_login(world.users["manager"])
    assert session.post(URL, {"parties": [{"name": "A"}]}, format="json").status_code == 401


def test_screen_returns_hits_with_reasons_and_stores_the_screening(world, public_list):
    client, token = client_for(world, "manager")
    response = client.post(
        URL,
        {
            "parties": [
                {
                    "name": "华为技术有限公司",
                    "country": "cn",
                    "address": "深圳",
                    "reference": "C-1",
                },
                {"name": "Müller Messtechnik GmbH", "country": "DE"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["decision"] == "match" and first["reference"] == "C-1" and first["country"] == "CN"
    hit = first["hits"][0]
    assert (hit["list_code"], hit["entity_id"], hit["matched_name"]) == (
        "CN-UEL",
        "UEL-HW",
        "华为技术有限公司",
    )
    assert hit["score"] >= 0.95 and hit["reasons"][0]["text"]
    assert second["decision"] == "clear"
    stored = Screening.objects.get(pk=first["screening_id"])
    assert stored.source == Screening.Source.API and stored.api_token == token
    assert (
        stored.requested_by == world.users["manager"] and stored.organisation == world.organisation
    )
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "parties"),
        ({"parties": []}, "parties"),
        ({"parties": [{"country": "CN"}]}, "parties"),
        ({"parties": [{"name": "A", "country": "CHN"}]}, "parties"),
        ({"parties": [{"name": "A", "country": "XX"}]}, "parties"),
        ({"parties": [{"name": "x" * 301}]}, "parties"),
        ({"parties": [{"name": "A", "address": "x" * 501}]}, "parties"),
        ({"parties": [{"name": "A"}] * 101}, "parties"),
        ({"parties": "Acme"}, "parties"),
    ],
)
def test_bad_input_gets_400_with_field_errors(world, public_list, payload, field):
    client, _token = client_for(world, "manager")
    response = client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Screening.objects.exists()


def test_a_token_never_reaches_another_organisations_lists_or_records(
    world, public_list, private_list, other_private_list
):
    client, _token = client_for(world, "outsider")
    response = client.post(
        URL,
        {
            "parties": [
                {"name": "Gulf Horizon General Trading FZE"},
                {"name": "Novatek Automation GmbH"},
            ]
        },
        format="json",
    )
    codes = [hit["list_code"] for result in response.json()["results"] for hit in result["hits"]]
    assert "ACME-INHOUSE" not in codes and "OTHER-INHOUSE" in codes
    assert all(s.organisation == world.other_organisation for s in Screening.objects.all())
    # Its user also belongs to acme? A token stays bound to its own organisation.
    from tests.accounts.factories import MembershipFactory

    MembershipFactory(
        organisation=world.organisation, user=world.users["outsider"], role="compliance_manager"
    )
    response = client.post(
        URL, {"parties": [{"name": "Gulf Horizon General Trading FZE"}]}, format="json"
    )
    assert all(hit["list_code"] != "ACME-INHOUSE" for hit in response.json()["results"][0]["hits"])


def test_revoked_token_and_departed_user_are_refused(world, public_list):
    client, token = client_for(world, "manager")
    api_token_revoke(token=token, user=world.users["manager"])
    assert client.post(URL, {"parties": [{"name": "A"}]}, format="json").status_code == 401
    client, token = client_for(world, "staff")
    world.users["staff"].memberships.update(is_active=False)
    assert client.post(URL, {"parties": [{"name": "A"}]}, format="json").status_code == 401


def test_create_api_token_command_prints_it_once_and_stores_a_hash(world, capsys):
    call_command("create_api_token", "manager@acme.test", "--org", "acme")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(raw) and raw not in (token.key_hash, token.key_prefix)
    assert token.organisation == world.organisation and token.user == world.users["manager"]


def test_create_api_token_refuses_a_non_member(world):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_token", "manager@other.test", "--org", "acme")


def test_schema_describes_the_screen_endpoint(world):
    client, _token = client_for(world, "manager")
    response = client.get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    assert "/api/v1/screen" in response.json()["paths"]
    assert APIClient().get(reverse("api:schema")).status_code == 401


def test_docs_page_is_served_from_our_own_static_files(world):
    response = world.client("manager").get(reverse("api:docs"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<script>" not in html
    script = world.client("manager").get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
