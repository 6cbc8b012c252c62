from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tokens import ApiToken
from screening.models import Adjudication, HitDecision, Screening, ScreeningHit, ScreeningList
from screening.services.screening import screening_run
from tests.import_steps import preview_and_confirm

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "list-formats" / "samples"


def test_manager_screens_a_chinese_name_and_reads_why(world, public_list):
    client = world.client("manager")
    response = client.post(
        reverse("screening:screen"), {"name": "華為技術有限公司", "country": "CN"}
    )
    screening = Screening.objects.get()
    assert response.url == screening.get_absolute_url()
    assert screening.requested_by == world.users["manager"] and screening.source == "page"
    html = client.get(screening.get_absolute_url()).content.decode()
    assert "华为技术有限公司" in html
    assert "country matches: CN" in html
    assert 'data-testid="adjudicate-form"' in html


def test_adjudicating_on_the_page_empties_the_queue(world, public_list):
    client = world.client("manager")
    client.post(reverse("screening:screen"), {"name": "华为技术有限公司", "country": "CN"})
    hit = ScreeningHit.objects.exclude(decision=HitDecision.CLEAR).get()
    page = client.get(reverse("screening:screen")).content.decode()
    assert 'data-testid="queue-count">1<' in page
    response = client.post(
        reverse("screening:hit_adjudicate", args=[hit.pk]),
        {"outcome": "false_positive", "reason": "Different company: a Huawei reseller in Munich."},
    )
    assert response.status_code == 302
    assert Adjudication.objects.get().decided_by == world.users["manager"]
    page = client.get(reverse("screening:screen")).content.decode()
    assert 'data-testid="queue-count">0<' in page


def test_staff_may_screen_but_not_adjudicate(world, public_list):
    client = world.client("staff")
    response = client.post(
        reverse("screening:screen"), {"name": "华为技术有限公司", "country": "CN"}
    )
    screening = Screening.objects.get()
    html = client.get(response.url).content.decode()
    assert (
        'data-testid="adjudicate-form"' not in html and "Waiting for a compliance manager" in html
    )
    hit = screening.hits.first()
    assert (
        client.post(
            reverse("screening:hit_adjudicate", args=[hit.pk]),
            {"outcome": "false_positive", "reason": "nope nope"},
        ).status_code
        == 403
    )


def test_upload_page_shows_row_errors_and_then_the_diff(world, private_list):
    client = world.client("manager")
    url = reverse("screening:list_import", args=[private_list.pk])
    bad = b"list_code,entity_id,name\nACME-INHOUSE,1,\n"
    response = client.post(
        url, {"file_format": "icp-csv", "file": SimpleUploadedFile("bad.csv", bad)}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-problems"' in html
    assert "the name is missing." in html
    problem = response.context["preview"].problems[0]
    assert (problem.row, problem.column) == (2, "name")
    content = (
        (SAMPLES / "icp-csv-sample.csv").read_bytes().replace(b"DEMO-INHOUSE", b"ACME-INHOUSE")
    )
    versions = private_list.versions.count()
    preview = client.post(
        url, {"file_format": "icp-csv", "file": SimpleUploadedFile("good.csv", content)}
    ).context["preview"]
    assert (preview.new.count, preview.removed.count) == (3, 1)
    assert private_list.versions.count() == versions  # the preview wrote nothing
    response = preview_and_confirm(
        client, url, {"file_format": "icp-csv", "file": SimpleUploadedFile("good.csv", content)}
    )
    private_list.refresh_from_db()
    assert response.url == private_list.current_version.get_absolute_url()
    html = client.get(response.url).content.decode()
    assert 'data-testid="diff-added">3<' in html and 'data-testid="diff-removed">1<' in html


def test_public_lists_are_imported_by_superusers_only(world, public_list):
    url = reverse("screening:list_import", args=[public_list.pk])
    assert world.client("manager").get(url).status_code == 403
    world.users["manager"].is_superuser = True
    world.users["manager"].save()
    assert world.client("manager").get(url).status_code == 200


def test_manual_entity_form_creates_a_version(world, private_list):
    client = world.client("manager")
    response = client.post(
        reverse("screening:entity_create", args=[private_list.pk]),
        {
            "entity_id": "INH-9",
            "entity_type": "entity",
            "name": "北方精密器材贸易有限公司",
            "aliases": "North Precision Instruments Trading",
            "countries": "CN",
            "note": "Refused EUC in 2025",
        },
    )
    private_list.refresh_from_db()
    assert response.url == private_list.current_version.get_absolute_url()
    assert (
        private_list.current_version.number == 2
        and private_list.current_version.note == "Refused EUC in 2025"
    )


def test_private_lists_of_another_organisation_are_invisible(
    world, other_private_list, public_list
):
    client = world.client("manager")
    html = client.get(reverse("screening:list_index")).content.decode()
    assert "OTHER-INHOUSE" not in html and "CN-UEL" in html
    assert (
        client.get(reverse("screening:list_detail", args=[other_private_list.pk])).status_code
        == 404
    )
    entity = other_private_list.current_version.entities.get()
    assert client.get(reverse("screening:entity_detail", args=[entity.pk])).status_code == 404


def test_list_creation_private_for_managers_public_for_superusers(world):
    client = world.client("manager")
    client.post(
        reverse("screening:list_create"),
        {
            "code": "ACME-X",
            "name_zh": "内部",
            "legal_category": "in_house",
            "severity": "block",
            "public": "on",
        },
    )
    assert ScreeningList.objects.get(code="ACME-X").organisation == world.organisation
    world.users["manager"].is_superuser = True
    world.users["manager"].save()
    client.post(
        reverse("screening:list_create"),
        {
            "code": "EU-FSF",
            "name_zh": "欧盟",
            "legal_category": "foreign_unilateral",
            "public": "on",
        },
    )
    eu = ScreeningList.objects.get(code="EU-FSF")
    assert eu.organisation is None
    assert eu.severity == ScreeningList.Severity.RED_FLAG  # a foreign list warns by default


def test_token_page_shows_a_new_token_once(world):
    client = world.client("manager")
    response = client.post(
        reverse("screening:token_list"), {"name": "ERP prod", "user": world.users["staff"].pk}
    )
    token = ApiToken.objects.get()
    html = response.content.decode()
    assert 'data-testid="new-token"' in html and token.key_prefix in html
    assert (
        'data-testid="new-token"'
        not in client.get(reverse("screening:token_list")).content.decode()
    )
    client.post(reverse("screening:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.users["manager"]


def test_settings_page_changes_the_threshold(world, public_list):
    world.client("manager").post(
        reverse("screening:settings"), {"threshold": "0.75", "notify_compliance_managers": "on"}
    )
    screening = screening_run(organisation=world.organisation, names=["Huawei"], source="page")
    assert screening.threshold == 0.75


def test_history_query_count_is_flat(world, public_list, django_assert_max_num_queries):
    for n in range(200):
        screening_run(
            organisation=world.organisation,
            names=[f"Lockheed Martin {n}"],
            source="page",
            user=world.users["manager"],
        )
    client = world.client("manager")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("screening:screening_list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("screening:screen")).status_code == 200
    screening = Screening.objects.first()
    with django_assert_max_num_queries(14):
        assert client.get(screening.get_absolute_url()).status_code == 200
