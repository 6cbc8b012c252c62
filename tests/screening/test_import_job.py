"""A large list file, once its preview is confirmed, is imported by a background job, all or
nothing, with its search index."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Job
from screening.jobs import IMPORT_KIND, import_enqueue
from screening.models import ListedEntity, ListIndexArtefact
from screening.views import lists as list_views
from tests.import_steps import preview_and_confirm

pytestmark = pytest.mark.django_db

HEADER = b"list_code,entity_id,entity_type,name,country\n"


def _synthetic_csv(rows: int, bad_row: int | None = None) -> bytes:
    """A synthetic in-house list (made-up names), one bad row when asked."""
    lines = [HEADER]
    for number in range(1, rows + 1):
        name = "" if number == bad_row else f"Synthetic Export Trading {number:05d} Co Ltd"
        lines.append(f"ACME-INHOUSE,SYN-{number:05d},entity,{name},AE\n".encode())
    return b"".join(lines)


@pytest.fixture
def background_imports(monkeypatch):
    monkeypatch.setattr(list_views, "IMPORT_IN_BACKGROUND_BYTES", 1000)


def _upload(client, screening_list, content, capture):
    url = reverse("screening:list_import", args=[screening_list.pk])
    with capture(execute=False) as callbacks:
        response = preview_and_confirm(
            client, url, {"file_format": "icp-csv", "file": SimpleUploadedFile("big.csv", content)}
        )
    return response, callbacks


def test_the_view_enqueues_a_job_that_imports_every_row_with_its_index(
    world, private_list, background_imports, django_capture_on_commit_callbacks
):
    client = world.client("manager")
    before = private_list.current_version_id
    response, callbacks = _upload(
        client, private_list, _synthetic_csv(300), django_capture_on_commit_callbacks
    )
    job = Job.objects.get(kind=IMPORT_KIND)
    assert response.url == job.get_absolute_url()
    private_list.refresh_from_db()
    assert private_list.current_version_id == before  # nothing imported in the request
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    job.refresh_from_db()
    private_list.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    version = private_list.current_version
    assert job.result_url == version.get_absolute_url()
    assert ListedEntity.objects.filter(version=version).count() == 300
    # The version became current together with its index file (in the same transaction).
    assert ListIndexArtefact.objects.get(version=version).entity_count == 300
    assert not default_storage.exists(job.params["upload"])
    assert client.get(job.get_absolute_url()).status_code == 200


def test_a_file_with_one_bad_row_is_refused_by_its_preview_without_a_job(
    world, private_list, background_imports
):
    url = reverse("screening:list_import", args=[private_list.pk])
    content = _synthetic_csv(300, bad_row=250)
    response = world.client("manager").post(
        url, {"file_format": "icp-csv", "file": SimpleUploadedFile("big.csv", content)}
    )
    problems = response.context["preview"].problems
    assert [(p.row, p.column, p.message) for p in problems] == [
        (251, "name", "the name is missing.")
    ]
    assert "token" not in response.context and not Job.objects.filter(kind=IMPORT_KIND).exists()


def test_a_job_that_refuses_its_file_imports_nothing_and_shows_the_row(
    world, private_list, django_capture_on_commit_callbacks
):
    client = world.client("manager")
    before = private_list.current_version_id
    entities_before = ListedEntity.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_enqueue(
            organisation=world.organisation,
            screening_list=private_list,
            upload=SimpleUploadedFile("big.csv", _synthetic_csv(300, bad_row=250)),
            file_format="icp-csv",
            user=world.users["manager"],
            language="en",
        )
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    job = Job.objects.get(kind=IMPORT_KIND)
    private_list.refresh_from_db()
    assert private_list.current_version_id == before
    assert ListedEntity.objects.count() == entities_before
    assert job.result["rejected"] is True
    page = client.get(job.result_url).content.decode()
    assert "Row 251: the name is missing." in page
    # Another organisation's member cannot read the rows through the job id.
    outsider = world.client("outsider")
    url = reverse("screening:list_import", args=[private_list.pk]) + f"?job={job.pk}"
    assert "Row 251" not in outsider.get(url).content.decode()
