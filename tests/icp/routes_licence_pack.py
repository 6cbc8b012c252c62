import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.models import Job
from icp.selectors.licence_pack import LICENCE_PACK_JOB_KIND
from tests.routes import LOGIN, Route, expect, own_record

# Compliance managers and management ask for the pack and read it.
REQUESTERS = expect(auditor=403, staff=403)


def _job(world, fmt):
    job = Job.objects.create(
        kind=LICENCE_PACK_JOB_KIND,
        organisation=world.organisation,
        status=Job.Status.SUCCEEDED,
        params={"start": "2026-01-01", "end": "2026-06-30", "language": "zh-hans"},
    )
    job.result_file.save("pack.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    name = default_storage.save(f"licence_packs/{job.pk}.docx", ContentFile(b"PK test"))
    job.result = {"docx": name}
    job.save()
    return [job.pk, fmt]


ROUTES = [
    Route("icp:licence_pack_home", REQUESTERS),
    # A period that ends before it starts: the form is shown again (200), nothing starts.
    Route(
        "icp:licence_pack_request",
        expect(anonymous=LOGIN, manager=200, auditor=403, executive=200, staff=403, outsider=200),
        method="post",
        data=lambda world: {
            "start": datetime.date.today().isoformat(),
            "end": "2000-01-01",
            "language": "zh-hans",
        },
    ),
    Route("icp:licence_pack_download", own_record(REQUESTERS), args=lambda w: _job(w, "pdf")),
    Route(
        "icp:licence_pack_download",
        own_record(REQUESTERS),
        args=lambda w: _job(w, "docx"),
        id="icp:licence_pack_download:docx",
    ),
    # A missing answer to an Art. 20 question: the page again (200), nothing recorded.
    Route(
        "icp:readiness_disqualifiers",
        expect(anonymous=LOGIN, manager=200, auditor=403, executive=200, staff=403, outsider=200),
        method="post",
        data=lambda world: {"criminal_penalty": "no"},
    ),
]
