"""Bad input never answers 500 (issue #18): NUL bytes, out-of-range numbers, oversized uploads."""

import json

import pytest
from django.core.exceptions import BadRequest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse

from core.http import int_param
from tests.test_permission_table import ROUTES

GET_ROUTES = [route for route in ROUTES if route.method == "get"]


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda route: route.id)
def test_every_get_route_answers_a_nul_parameter_with_the_apps_400_page(route, world, reference):
    url = reverse(route.name, args=route.args(world) if route.args else [])
    response = world.client("manager").get(url, {"q": "a\x00b", "status": "\x00", "page": "1"})
    assert response.status_code == 400, url
    if not url.startswith("/api/"):
        body = response.content.decode()
        assert "a NUL byte" in body
        assert "ICP Workbench" in body  # the app's layout, not Django's bare page


def test_the_400_page_is_in_the_readers_language(world):
    client = world.client("manager")
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("parties:list"), {"q": "\x00"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert '<html lang="zh-hans">' in response.content.decode()


def test_a_nul_byte_in_the_api_path_or_json_body_is_a_json_400(world):
    client = world.client("manager")
    response = client.get("/api/v1/screen%00")
    assert response.status_code == 400
    assert "detail" in response.json()
    response = client.post(
        "/api/v1/screen",
        data=json.dumps({"name": "ACME\u0000"}),
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_nul_byte_in_a_posted_form_is_refused_before_the_view(world):
    response = world.client("manager").post(reverse("parties:create"), {"name": "A\x00B"})
    assert response.status_code == 400
    from screening.models import Party

    assert not Party.objects.exists()


@pytest.mark.parametrize("year", ["0", "-1", "99999999999999999999", "abc", "１"])
def test_audit_plan_with_a_bad_year_is_a_400_with_a_message(world, year):
    response = world.client("manager").get(reverse("audits:plan"), {"year": year})
    assert response.status_code == 400
    assert "year" in response.content.decode()


def test_audit_plan_with_a_good_year(world):
    assert world.client("manager").get(reverse("audits:plan"), {"year": "2026"}).status_code == 200


def test_int_param():
    params = QueryDict("a=5&b=x&c=&d=0")
    assert int_param(params, "a", minimum=1) == 5
    assert int_param(params, "c", default=7) == 7
    assert int_param(params, "missing") is None
    with pytest.raises(BadRequest):
        int_param(params, "b")
    with pytest.raises(BadRequest):
        int_param(params, "d", minimum=1)
    with pytest.raises(BadRequest):
        int_param(params, "a", maximum=4)


def test_an_upload_over_the_cap_is_refused_with_a_clear_message(world, settings):
    settings.ICP_MAX_UPLOAD_BYTES = 4096
    upload = SimpleUploadedFile("parties.csv", b"name,country\n" + b"x" * 20_000, "text/csv")
    response = world.client("manager").post(reverse("parties:import"), {"file": upload})
    assert response.status_code == 413
    assert "larger than" in response.content.decode()


def test_an_upload_under_the_cap_still_arrives(world, settings):
    settings.ICP_MAX_UPLOAD_BYTES = 1 << 20
    upload = SimpleUploadedFile("parties.csv", "name,country\n华为,CN\n".encode(), "text/csv")
    response = world.client("manager").post(reverse("parties:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["preview"].new.count == 1


def test_a_document_whose_file_is_missing_is_a_404_with_a_message(world):
    from records.models import EventLogEntry
    from tests.icp.factories_emergency import IncidentFactory
    from tests.records.factories import attach

    incident = IncidentFactory(organisation=world.organisation)
    document = attach(organisation=world.organisation, user=world.users["manager"], target=incident)
    document.file.storage.delete(document.file.name)
    downloads = EventLogEntry.objects.filter(action="download").count()
    response = world.client("manager").get(reverse("records:document_download", args=[document.pk]))
    assert response.status_code == 404
    assert "missing from storage" in response.content.decode()
    assert document.original_name in response.content.decode()
    assert EventLogEntry.objects.filter(action="download").count() == downloads
