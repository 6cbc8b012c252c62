from django.core.files.base import ContentFile
from django.utils import timezone

from icp.models import ManualVersion
from tests.routes import LOGIN, READERS, Route, expect, own_record


def _version(world):
    version = ManualVersion(
        organisation=world.organisation,
        number=1,
        language="zh-hans",
        data_as_of=timezone.now(),
        pdf_sha256="0" * 64,
        page_count=1,
    )
    version.pdf.save("manual.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    version.docx.save("manual.docx", ContentFile(b"PK test"), save=False)
    version.save()
    return version


def _pdf(world):
    return [_version(world).pk, "pdf"]


def _docx(world):
    return [_version(world).pk, "docx"]


ROUTES = [
    Route("icp:manual_home", READERS),
    # Compliance managers and management ask for a version (an unknown language here, so the
    # table does not render a PDF; the form refuses it and the page is shown again).
    Route(
        "icp:manual_request",
        expect(anonymous=LOGIN, manager=200, auditor=403, executive=200, staff=403, outsider=200),
        method="post",
        data=lambda world: {"language": "xx"},
    ),
    # A compliance manager saves the organisation's manual settings (its own organisation's).
    Route(
        "icp:manual_settings",
        expect(manager=302, auditor=403, executive=403, staff=403, outsider=302),
        method="post",
        data=lambda world: {"language": "zh-hans", "edition": "concise"},
    ),
    # A compliance manager reviews a draft (审核); management approves a reviewed one (批准).
    Route(
        "icp:manual_review",
        own_record(expect(manager=302, auditor=403, executive=403, staff=403)),
        method="post",
        args=lambda world: [_version(world).pk],
    ),
    # The draft is not reviewed yet, so management's approval is refused with a message.
    Route(
        "icp:manual_approve",
        expect(manager=403, auditor=403, executive=302, staff=403, outsider=403),
        method="post",
        args=lambda world: [_version(world).pk],
    ),
    Route("icp:manual_download", own_record(READERS), args=_pdf),
    Route("icp:manual_download", own_record(READERS), args=_docx, id="icp:manual_download:docx"),
]
