"""A large control-list or customs-catalogue file, once its preview is confirmed, is imported
by a background job with its progress, all or nothing; the import page follows the job and
shows a refused file's rows."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Job
from tests.import_steps import preview_and_confirm
from trade.jobs_imports import CATALOGUE_KIND, CONTROL_LIST_KIND, reference_list_import_enqueue
from trade.models import ControlListEntry, ControlListVersion, CustomsCatalogueEntry
from trade.models.control_list import ReferenceListKind
from trade.services.control_list import control_list_import
from trade.views import reference_lists

pytestmark = pytest.mark.django_db

ROWS = 1200  # more than two progress steps of 500 rows


def _control_list_csv(bad_row: int | None = None) -> bytes:
    lines = ["code,description_zh,description_en,category\n"]
    for n in range(1, ROWS + 1):
        code = "XX" if n == bad_row else f"3A{n:03d}.a" if n < 1000 else f"3B{n - 999:03d}.b"
        lines.append(f"{code},合成条目{n},Synthetic entry {n},3\n")
    return "".join(lines).encode()


def _catalogue_csv() -> bytes:
    lines = ["hs_code,description_zh,description_en,control_codes\n"]
    lines += [f"9031{n:06d},合成商品{n},Synthetic goods {n},2B006.b\n" for n in range(1, ROWS + 1)]
    return "".join(lines).encode()


@pytest.fixture
def background(monkeypatch):
    monkeypatch.setattr(reference_lists, "IMPORT_IN_BACKGROUND_BYTES", 1000)


def _run(callbacks, capture):
    with capture(execute=True):
        for callback in callbacks:
            callback()


def test_a_large_control_list_is_imported_by_a_job_with_progress(
    world, background, django_capture_on_commit_callbacks
):
    client = world.client("manager")
    url = reverse("transactions:control_list_import")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = preview_and_confirm(
            client, url, {"file": SimpleUploadedFile("list.csv", _control_list_csv())}
        )
    job = Job.objects.get(kind=CONTROL_LIST_KIND)
    assert response.status_code == 302 and response.url == f"{url}?job={job.pk}"
    assert not ControlListEntry.objects.filter(organisation=world.organisation).exists()
    page = client.get(response.url).content.decode()
    assert 'data-testid="job-progress"' in page and "list.csv" in page
    # The list page says an import is running and links to it; staff do not see it.
    list_url = reverse("transactions:control_list")
    assert f"?job={job.pk}" in client.get(list_url).content.decode()
    staff_page = world.client("staff").get(list_url).content.decode()
    assert 'data-testid="import-running"' not in staff_page
    _run(callbacks, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert ControlListEntry.objects.filter(organisation=world.organisation).count() == ROWS
    version = ControlListVersion.objects.get(organisation=world.organisation)
    assert job.result["version"] == version.number and job.result["added"] == ROWS
    assert job.result_url == reverse("transactions:control_list")
    assert 'data-testid="import-running"' not in client.get(list_url).content.decode()
    assert not default_storage.exists(job.params["upload"])


def test_a_large_file_with_one_bad_row_is_refused_by_its_preview_without_a_job(world, background):
    client = world.client("manager")
    url = reverse("transactions:control_list_import")
    response = client.post(
        url, {"file": SimpleUploadedFile("list.csv", _control_list_csv(bad_row=900))}
    )
    preview = response.context["preview"]
    assert [(p.row, p.column) for p in preview.problems] == [(901, "code")]
    assert "token" not in response.context and not Job.objects.exists()
    assert not ControlListEntry.objects.filter(organisation=world.organisation).exists()


def test_a_job_that_refuses_its_file_imports_nothing_and_the_page_shows_the_row(
    world, django_capture_on_commit_callbacks
):
    client = world.client("manager")
    url = reverse("transactions:control_list_import")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reference_list_import_enqueue(
            list_kind=ReferenceListKind.CONTROL_LIST,
            organisation=world.organisation,
            user=world.users["manager"],
            content=_control_list_csv(bad_row=900),
            filename="list.csv",
            language="en",
        )
    _run(callbacks, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=CONTROL_LIST_KIND)
    assert job.result["rejected"] is True
    assert not ControlListEntry.objects.filter(organisation=world.organisation).exists()
    assert not ControlListVersion.objects.filter(organisation=world.organisation).exists()
    page = client.get(job.result_url).content.decode()
    assert 'data-testid="import-row-errors"' in page and "Row 901" in page
    # Another organisation's compliance manager cannot read the rows through the job id.
    outsider_page = world.client("outsider").get(f"{url}?job={job.pk}").content.decode()
    assert "Row 901" not in outsider_page and 'data-testid="import-job"' not in outsider_page


def test_a_large_customs_catalogue_keeps_its_edition(
    world, background, django_capture_on_commit_callbacks
):
    client = world.client("manager")
    url = reverse("transactions:customs_catalogue_import")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = preview_and_confirm(
            client,
            url,
            {"file": SimpleUploadedFile("cat.csv", _catalogue_csv()), "edition": "2026"},
        )
    job = Job.objects.get(kind=CATALOGUE_KIND)
    assert response.url == f"{url}?job={job.pk}"
    _run(callbacks, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    entries = CustomsCatalogueEntry.objects.filter(organisation=world.organisation)
    assert entries.count() == ROWS and set(entries.values_list("edition", flat=True)) == {"2026"}


def test_a_file_over_the_limit_is_refused_before_any_job(world, monkeypatch):
    monkeypatch.setattr(reference_lists, "MAX_IMPORT_BYTES", 2000)
    monkeypatch.setattr(reference_lists, "IMPORT_IN_BACKGROUND_BYTES", 1000)
    response = world.client("manager").post(
        reverse("transactions:control_list_import"),
        {"file": SimpleUploadedFile("list.csv", _control_list_csv())},
    )
    assert response.status_code == 200 and "larger than 10 MB" in response.content.decode()
    assert not Job.objects.exists()


def test_staff_cannot_start_an_import_job(world, background):
    response = world.client("staff").post(
        reverse("transactions:control_list_import"),
        {"file": SimpleUploadedFile("list.csv", _control_list_csv())},
    )
    assert response.status_code == 403 and not Job.objects.exists()


def test_the_import_reports_its_steps_in_order(world):
    steps = []
    control_list_import(
        content=_control_list_csv(),
        organisation=world.organisation,
        user=world.users["manager"],
        progress=lambda percent, step: steps.append((percent, step)),
    )
    assert [step for _p, step in steps][:3] == [
        "Reading the file",
        "Checking every row",
        "Writing the entries",
    ]
    assert len(steps) == 3 + ROWS // 500
    assert [p for p, _s in steps] == sorted(p for p, _s in steps) and steps[-1][0] < 100
