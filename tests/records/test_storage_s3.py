"""Documents on S3-compatible storage (django-storages), against moto's in-process S3."""

import pytest
from django.core.files.storage import default_storage

from records.models import Document
from records.services.backup import storage_files
from tests.icp.factories_emergency import IncidentFactory
from tests.records.factories import PDF_BYTES, attach

moto = pytest.importorskip("moto", reason="moto (test dependency) is not installed")

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with moto.mock_aws():
        import boto3

        boto3.client("s3", region_name="cn-north-1").create_bucket(
            Bucket="icp-documents",
            CreateBucketConfiguration={"LocationConstraint": "cn-north-1"},
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "icp-documents",
                    "region_name": "cn-north-1",
                    "default_acl": "private",
                    "file_overwrite": False,
                },
            },
        }
        yield  # pytest-django's settings fixture resets the storages when STORAGES changes


def test_documents_are_stored_in_and_read_back_from_the_bucket(world, s3):
    incident = IncidentFactory(organisation=world.organisation)
    document = attach(
        organisation=world.organisation,
        user=world.users["manager"],
        target=incident,
        content=PDF_BYTES + b"s3",
    )
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    stored = Document.objects.get(pk=document.pk)
    with stored.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES + b"s3"
    assert list(storage_files()) == [stored.file.name]
