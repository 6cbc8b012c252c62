"""The index of each list version is built once, stored as a content-addressed file through the
configured storage, mapped read-only by every process from a local copy, and never built in a
web request."""

import hashlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import Job
from screening.jobs import BUILD_INDEX_KIND
from screening.models import ListIndexArtefact, Screening
from screening.services import index as index_service
from screening.services.index import (
    artefact_build,
    cache_dir,
    current_versions,
    version_index,
)
from screening.services.screening import screening_run
from tests.screening.factories import add_entity

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def _artefact(screening_list):
    screening_list.refresh_from_db()
    return ListIndexArtefact.objects.get(version=screening_list.current_version)


def test_a_new_version_is_current_together_with_its_stored_index_file(public_list):
    artefact = _artefact(public_list)
    # The name holds the file's own SHA-256; the file is in the configured storage.
    assert artefact.name == f"screening-index/{artefact.sha256}.midx"
    with default_storage.open(artefact.name, "rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == artefact.sha256
    assert len(content) == artefact.size and artefact.entity_count == 2
    # Building again gives the same bytes (stable hashing, entities in key order).
    artefact.delete()
    again = artefact_build(public_list.current_version)
    assert again.name == artefact.name


def test_index_files_are_identical_across_processes_with_different_hash_seeds(tmp_path):
    script = (
        "import sys\n"
        "from screening.engine import Alias, ListEntity, MatchIndex\n"
        "index = MatchIndex.build([ListEntity('1', (Alias('华为技术有限公司'),"
        " Alias('Huawei Technologies Co Ltd'))), ListEntity('2', (Alias('Rosoboronexport'),))])\n"
        "with open(sys.argv[1], 'wb') as handle:\n"
        "    index.write(handle)\n"
    )
    digests = set()
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.midx"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, cwd=REPO)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_each_process_maps_its_local_copy_and_fetches_it_when_missing(public_list):
    artefact = _artefact(public_list)
    local = cache_dir() / Path(artefact.name).name
    local.unlink()
    index_service.index_cache_clear()
    index = version_index(public_list.current_version)
    assert local.exists() and index.nbytes() == artefact.size
    assert index.search("Huawei Technologies")[0].alias.text == "HUAWEI TECHNOLOGIES CO., LTD."
    # Loaded once per process: the same mapped object serves the next screening.
    assert version_index(public_list.current_version) is index


def test_a_damaged_stored_file_is_refused(public_list):
    artefact = _artefact(public_list)
    (cache_dir() / Path(artefact.name).name).unlink()
    index_service.index_cache_clear()
    default_storage.delete(artefact.name)
    default_storage.save(artefact.name, __import__("io").BytesIO(b"not an index"))
    with pytest.raises(ValueError, match="checksum"):
        version_index(public_list.current_version)


def test_a_web_request_never_builds_an_index_and_says_screening_is_being_prepared(
    world, public_list, django_capture_on_commit_callbacks
):
    ListIndexArtefact.objects.all().delete()
    index_service.index_cache_clear()
    client = world.client("manager")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("screening:screen"), {"name": "华为技术有限公司"})
    assert response.status_code == 200
    assert "Screening is being prepared" in response.content.decode()
    assert "华为技术有限公司" in response.content.decode()  # what the user typed is kept
    assert not ListIndexArtefact.objects.exists() and not Screening.objects.exists()
    # The request started the build; the job (not the request) builds the file.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    job = Job.objects.get(kind=BUILD_INDEX_KIND)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert ListIndexArtefact.objects.filter(version=_version(public_list)).exists()
    response = client.post(reverse("screening:screen"), {"name": "华为技术有限公司"})
    assert response.status_code == 302 and Screening.objects.count() == 1


def _version(screening_list):
    screening_list.refresh_from_db()
    return screening_list.current_version


def test_the_api_answers_503_with_retry_after_while_an_index_is_prepared(world, public_list):
    from tests.screening.test_api import URL, client_for

    ListIndexArtefact.objects.all().delete()
    client, _token = client_for(world, "manager")
    response = client.post(URL, {"parties": [{"name": "Huawei"}]}, format="json")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "being prepared" in response.json()["detail"]
    assert not Screening.objects.exists()


def test_delisting_applies_on_its_day_without_rebuilding_the_index(world, monkeypatch):
    from tests.screening.factories import ScreeningListFactory

    screening_list = ScreeningListFactory(code="DELIST")
    today = timezone.localdate()
    add_entity(
        screening_list,
        "D-1",
        "Gulf Horizon General Trading FZE",
        delisted_on=today + timedelta(days=1),
    )
    first = screening_run(
        organisation=world.organisation, names=["Gulf Horizon General Trading"], source="page"
    )
    assert first.hits.count() == 1
    mapped = dict(index_service._mapped)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=1))
    second = screening_run(
        organisation=world.organisation, names=["Gulf Horizon General Trading"], source="page"
    )
    assert second.hits.count() == 0
    # A change of day neither rebuilds nor adds a second copy of the index.
    assert dict(index_service._mapped) == mapped


def test_old_index_files_are_dropped_once_no_current_version_uses_them(public_list, monkeypatch):
    monkeypatch.setattr(index_service, "PRUNE_GRACE", timedelta(0))
    old = _artefact(public_list)
    add_entity(public_list, "NEW-1", "Novatek Automation GmbH")
    new = _artefact(public_list)
    assert new.name != old.name
    result = index_service.artefacts_prune()
    assert not ListIndexArtefact.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.name) and default_storage.exists(new.name)
    assert not (cache_dir() / Path(old.name).name).exists()
    assert result["files"] >= 1


def test_the_command_builds_missing_index_files(public_list, private_list):
    ListIndexArtefact.objects.all().delete()
    call_command("screening_index_build", verbosity=0)
    for screening_list in (public_list, private_list):
        assert ListIndexArtefact.objects.filter(version=_version(screening_list)).exists()
    assert len(current_versions(private_list.organisation)) == 2


def test_an_index_file_of_an_older_engine_format_is_rebuilt_never_loaded(public_list):
    """An engine upgrade that changes the file format (new match keys) makes the old files
    stale: the command rebuilds them, and a web request treats them as missing."""
    from screening.engine.index import FORMAT_VERSION

    old = _artefact(public_list)
    ListIndexArtefact.objects.filter(pk=old.pk).update(format_version=FORMAT_VERSION - 1)
    index_service.index_cache_clear()
    version = _version(public_list)
    index_service.request_started()
    try:
        with pytest.raises(index_service.ScreeningNotReady):
            version_index(version)
    finally:
        index_service.request_finished()
    call_command("screening_index_build", verbosity=0)
    rebuilt = ListIndexArtefact.objects.get(version=version)
    assert rebuilt.format_version == FORMAT_VERSION and rebuilt.pk != old.pk
    assert rebuilt.name == old.name  # the same entities give the same bytes in this format
    assert len(version_index(_version(public_list))) == 2


def test_web_and_worker_nodes_read_the_index_from_s3_into_a_local_copy(
    public_list, settings, tmp_path
):
    moto = pytest.importorskip("moto")
    import boto3

    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="icp-test")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "icp-test", "region_name": "us-east-1"},
            },
        }
        from django.core.files.storage import storages

        assert type(storages["default"]).__name__ == "S3Storage"
        # The import job on one machine builds the file into the bucket ...
        settings.SCREENING_INDEX_CACHE_DIR = tmp_path / "worker"
        ListIndexArtefact.objects.all().delete()
        artefact = artefact_build(_version(public_list))
        keys = [
            o["Key"]
            for o in boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket="icp-test")[
                "Contents"
            ]
        ]
        assert artefact.name in keys
        # ... and a web node with an empty local directory fetches and maps it.
        settings.SCREENING_INDEX_CACHE_DIR = tmp_path / "web"
        index_service.index_cache_clear()
        index = version_index(_version(public_list))
        assert (tmp_path / "web" / Path(artefact.name).name).exists()
        assert index.search("Lockheed Martin")[0].alias.text == "Lockheed Martin Corporation"


def test_any_page_that_screens_while_an_index_is_prepared_answers_503_with_the_way_back(
    world, public_list
):
    from tests.screening.factories_parties import PartyFactory

    party = PartyFactory(organisation=world.organisation, name="Gulf Trading LLC")
    ListIndexArtefact.objects.all().delete()
    index_service.index_cache_clear()
    client = world.client("manager")
    detail = f"http://testserver{party.get_absolute_url()}"
    response = client.post(reverse("parties:screen", args=[party.pk]), HTTP_REFERER=detail)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Screening is being prepared" in html and f'href="{detail}"' in html
    assert not Screening.objects.exists()
