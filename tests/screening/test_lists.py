from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from screening.models import ListedEntity, ListVersion, ScreeningList
from screening.services.lists import ImportRejected, list_import
from tests.screening.factories import ScreeningListFactory, add_entity

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "list-formats" / "samples"
HEADER = (
    "list_code,entity_id,entity_type,name,aliases,country,address,identifiers,programme,"
    "listed_on,delisted_on,remarks,source_url\n"
)


def csv_bytes(*rows):
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture
def uel():
    return ScreeningListFactory(code="CN-UEL")


def test_import_creates_a_version_with_every_entity(uel):
    outcome = list_import(
        screening_list=uel,
        content=csv_bytes(
            "CN-UEL,1,entity,Lockheed Martin Corporation,洛克希德·马丁公司,US,,,,2023-02-16,,,"
        ),
        file_format="icp-csv",
    )
    uel.refresh_from_db()
    assert outcome.created and uel.current_version == outcome.version
    assert outcome.version.number == 1 and outcome.version.entity_count == 1
    entity = outcome.version.entities.get()
    assert entity.aliases == [{"text": "洛克希德·马丁公司", "weak": False}]
    assert outcome.version.diff == {"added": ["1"], "removed": [], "changed": []}


def test_importing_the_same_content_twice_creates_nothing(uel):
    content = (SAMPLES / "icp-csv-sample.csv").read_bytes().replace(b"DEMO-INHOUSE", b"CN-UEL")
    first = list_import(screening_list=uel, content=content, file_format="icp-csv")
    # Same content, re-encoded with a BOM and rows in another order: still the same version.
    lines = content.decode().splitlines()
    again = ("\ufeff" + "\n".join([lines[0], *reversed(lines[1:])])).encode("utf-8")
    second = list_import(screening_list=uel, content=again, file_format="icp-csv")
    assert not second.created and second.version == first.version
    assert ListVersion.objects.filter(screening_list=uel).count() == 1
    assert ListedEntity.objects.filter(version__screening_list=uel).count() == 3


def test_a_new_version_shows_added_removed_and_changed(uel):
    list_import(
        screening_list=uel,
        content=csv_bytes(
            "CN-UEL,1,entity,A Corp,,US,,,,,,,",
            "CN-UEL,2,entity,B Corp,,US,,,,,,,",
            "CN-UEL,3,entity,C Corp,,US,,,,,,,",
        ),
        file_format="icp-csv",
    )
    outcome = list_import(
        screening_list=uel,
        content=csv_bytes(
            "CN-UEL,1,entity,A Corp,,US,,,,,,,",
            "CN-UEL,2,entity,B Corporation,,US,,,,,,,",
            "CN-UEL,4,entity,D Corp,,JP,,,,,,,",
        ),
        file_format="icp-csv",
    )
    assert outcome.version.number == 2
    assert outcome.version.diff == {"added": ["4"], "removed": ["3"], "changed": ["2"]}
    # The first version is untouched: screenings that used it stay reproducible.
    first = uel.versions.get(number=1)
    assert sorted(first.entities.values_list("name", flat=True)) == ["A Corp", "B Corp", "C Corp"]


def test_a_bad_row_rejects_the_whole_file(uel):
    with pytest.raises(ImportRejected) as caught:
        list_import(
            screening_list=uel,
            content=csv_bytes(
                "CN-UEL,1,entity,A Corp,,US,,,,,,,",
                "CN-UEL,2,entity,,,US,,,,,,,",
                "CN-UEL,3,robot,C,,XX,,,,,,,",
            ),
            file_format="icp-csv",
        )
    rows = sorted({error.row for error in caught.value.row_errors})
    assert rows == [3, 4]
    assert not ListVersion.objects.filter(screening_list=uel).exists()


def test_manual_entity_creates_a_new_version_and_keeps_the_rest(uel):
    add_entity(uel, "1", "A Corp", countries=["US"])
    version = add_entity(uel, "2", "B Corp", aliases=["乙公司"], countries=["US"])
    assert version.number == 2 and version.source == ListVersion.Source.MANUAL
    assert sorted(version.entities.values_list("entity_id", flat=True)) == ["1", "2"]
    corrected = add_entity(uel, "2", "B Corporation", aliases=["乙公司"], countries=["US"])
    assert corrected.number == 3 and corrected.diff["changed"] == ["2"]
    same = add_entity(uel, "2", "B Corporation", aliases=["乙公司"], countries=["US"])
    assert same == corrected  # nothing changed, nothing new


def test_import_list_command_creates_public_and_private_lists(world):
    out = StringIO()
    call_command(
        "import_list",
        str(SAMPLES / "un-xml-sample.xml"),
        "--format",
        "un-xml",
        "--list",
        "UN-SC",
        "--create",
        "UN",
        stdout=out,
    )
    assert "version 1, 3 entities" in out.getvalue()
    call_command(
        "import_list",
        str(SAMPLES / "un-xml-sample.xml"),
        "--format",
        "un-xml",
        "--list",
        "UN-SC",
        stdout=out,
    )
    assert "unchanged" in out.getvalue()
    assert ScreeningList.objects.get(code="UN-SC").organisation is None
    call_command(
        "import_list",
        str(SAMPLES / "icp-csv-sample.csv"),
        "--format",
        "icp-csv",
        "--list",
        "DEMO-INHOUSE",
        "--org",
        "acme",
        "--create",
        "In-house",
        stdout=out,
    )
    assert ScreeningList.objects.get(code="DEMO-INHOUSE").organisation == world.organisation


def test_import_list_command_reports_row_errors(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("X,1,entity,A,,,,,,,,,"))
    ScreeningListFactory(code="CN-UEL")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_list", str(bad), "--format", "icp-csv", "--list", "CN-UEL", stderr=err)
    assert "Row 2" in err.getvalue()
    with pytest.raises(CommandError, match="--create"):
        call_command("import_list", str(bad), "--format", "icp-csv", "--list", "NOPE")
