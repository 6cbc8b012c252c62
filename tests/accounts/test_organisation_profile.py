"""The organisation's details and logo: who may change them, what a logo may be, where it shows
(the profile page, the manual's cover in the PDF and the .docx) and that a change makes the
latest manual out of date."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from PIL import Image
from pypdf import PdfReader

from accounts.models import Organisation
from accounts.services import organisation_profile_update
from icp.selectors.manual import manual_is_stale
from icp.services.manual import manual_generate

pytestmark = pytest.mark.django_db

DETAILS = {
    "name_zh": "艾克米精密机械股份有限公司",
    "name_en": "Acme Precision Machinery Co., Ltd.",
    "unified_social_credit_code": "91320594MA1MXK7Q0Q",
    "address_zh": "江苏省苏州市工业园区星湖街328号",
    "address_en": "328 Xinghu Street, Suzhou",
}


def image_upload(image_format="PNG", size=(240, 80), name=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 46, 79)).save(buffer, format=image_format)
    extension = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[image_format]
    return SimpleUploadedFile(name or f"logo.{extension}", buffer.getvalue())


def update(world, persona="manager", **kwargs):
    organisation = Organisation.objects.get(pk=world.organisation.pk)
    return organisation_profile_update(
        organisation=organisation,
        user=world.users[persona],
        fields=kwargs.pop("fields", DETAILS),
        **kwargs,
    )


def test_a_compliance_manager_changes_the_details_and_the_logo(world):
    organisation = update(world, logo=image_upload())
    organisation.refresh_from_db()
    assert organisation.name_en == DETAILS["name_en"]
    assert organisation.logo.name.startswith(f"organisations/{organisation.pk}/logo-")
    assert organisation.logo.name.endswith(".png")
    assert default_storage.exists(organisation.logo.name)
    # The change is in the organisation's history, with who made it.
    newest = organisation.history.order_by("-history_date").first()
    assert newest.name_en == DETAILS["name_en"]


def test_a_new_logo_replaces_the_old_file_and_removing_deletes_it(world):
    first = update(world, logo=image_upload()).logo.name
    second = update(world, logo=image_upload("JPEG")).logo.name
    assert second.endswith(".jpg") and second != first
    assert not default_storage.exists(first) and default_storage.exists(second)
    organisation = update(world, remove_logo=True)
    assert not organisation.logo
    assert not default_storage.exists(second)


@pytest.mark.parametrize(
    "upload, message",
    [
        (lambda: image_upload("GIF"), "not a PNG or JPEG"),
        (
            lambda: SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "not a PNG or JPEG",
        ),
        (lambda: SimpleUploadedFile("logo.png", image_upload().read()[:60]), "not a PNG or JPEG"),
        (lambda: image_upload(size=(4100, 20)), "4000 pixels"),
        (lambda: SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024)), "2 MB"),
    ],
    ids=["gif", "svg-named-png", "truncated-png", "too-wide", "too-large"],
)
def test_a_bad_logo_is_refused_and_nothing_changes(world, upload, message):
    with pytest.raises(ValidationError) as error:
        update(world, logo=upload())
    assert message in str(error.value.message_dict["logo"])
    organisation = Organisation.objects.get(pk=world.organisation.pk)
    assert organisation.name_en == "Acme Precision" and not organisation.logo
    assert not default_storage.exists(f"organisations/{organisation.pk}")


def test_an_invalid_credit_code_is_refused_and_nothing_changes(world):
    with pytest.raises(ValidationError) as error:
        update(world, fields={**DETAILS, "unified_social_credit_code": "91320594MA1MXK7Q0X"})
    assert "unified_social_credit_code" in error.value.message_dict
    assert Organisation.objects.get(pk=world.organisation.pk).name_en == "Acme Precision"


@pytest.mark.parametrize("persona", ["auditor", "executive", "staff"])
def test_only_compliance_managers_change_the_details(world, persona):
    with pytest.raises(PermissionDenied):
        update(world, persona)
    response = world.client(persona).post(reverse("accounts:organisation_profile"), DETAILS)
    assert response.status_code == 403
    assert Organisation.objects.get(pk=world.organisation.pk).name_en == "Acme Precision"


def test_profile_page_shows_the_details_and_the_form_to_managers_only(world):
    page = world.client("staff").get(reverse("accounts:organisation_profile")).content.decode()
    assert "艾克米精密机械有限公司" in page and "organisation-profile-form" not in page
    page = world.client("manager").get(reverse("accounts:organisation_profile")).content.decode()
    assert "organisation-profile-form" in page and 'enctype="multipart/form-data"' in page


def test_manager_saves_through_the_page_and_members_see_the_logo(world):
    client = world.client("manager")
    response = client.post(
        reverse("accounts:organisation_profile"), {**DETAILS, "logo": image_upload()}
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert DETAILS["name_en"] in page and 'data-testid="organisation-logo"' in page
    logo = world.client("staff").get(reverse("accounts:organisation_logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")
    # A member of another organisation gets their own organisation's logo: none here.
    assert world.client("outsider").get(reverse("accounts:organisation_logo")).status_code == 404


def test_page_shows_a_bad_upload_as_a_form_error(world):
    response = world.client("manager").post(
        reverse("accounts:organisation_profile"),
        {**DETAILS, "logo": SimpleUploadedFile("logo.png", b"not an image")},
    )
    assert response.status_code == 200
    assert "This file is not a PNG or JPEG image." in response.content.decode()
    assert Organisation.objects.get(pk=world.organisation.pk).name_en == "Acme Precision"


def test_the_manual_cover_carries_the_logo_and_a_change_makes_the_manual_stale(world, reference):
    version = manual_generate(organisation=world.organisation, language="zh-hans")
    assert not manual_is_stale(organisation=world.organisation, manual=version)
    update(world, logo=image_upload())
    assert manual_is_stale(organisation=world.organisation, manual=version)

    world.organisation.refresh_from_db()
    version = manual_generate(organisation=world.organisation, language="zh-hans")
    with version.pdf.open("rb") as handle:
        cover = PdfReader(io.BytesIO(handle.read())).pages[0]
    assert [image.image.size for image in cover.images] == [(240, 80)]
    assert DETAILS["name_zh"] in cover.extract_text()
    with version.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    assert len(document.inline_shapes) == 1


def test_history_says_a_logo_was_uploaded_not_where_it_is_stored(world):
    from core.history import history_entries

    update(world, logo=image_upload())
    organisation = update(world, fields={**DETAILS, "name_en": "Acme"}, logo=image_upload("JPEG"))
    newest, previous = history_entries(organisation)[:2]
    changes = {str(label): (str(old), str(new)) for label, old, new in newest.changes}
    assert changes["logo"] == ("a file", "a new file")
    assert changes["name (English)"] == (DETAILS["name_en"], "Acme")
    assert dict((str(label), str(new)) for label, _old, new in previous.changes)["logo"] == (
        "a new file"
    )
