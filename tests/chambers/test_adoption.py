"""What a chamber shares for members to adopt: its control list and customs catalogue versions,
its courses (material and quiz) and recommended manual settings. A member's compliance manager
adopts; the member's copy is its own record and stays when it leaves the chamber."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from chambers import services
from chambers.models import Adoption, PublicationKind
from icp.models import Course, ManualSettings
from icp.services.training_library import library_course_of, quiz_submit
from records.models import EventLogEntry
from tests.chambers.factories import ChamberMembershipFactory, chamber_with_staff
from trade.models import ControlListVersion
from trade.selectors_items import control_list_in_force, customs_catalogue_in_force
from trade.services.control_list import control_list_import, customs_catalogue_import

pytestmark = pytest.mark.django_db

LIST_V1 = (
    "code,description_zh,description_en\n"
    "1C351,人及人畜共患病原体,Human and zoonotic pathogens\n"
    "3A001.a.1.a,抗辐射集成电路,Radiation-hardened integrated circuits\n"
).encode()
LIST_V2 = LIST_V1 + "9A004,航天器,Space vehicles\n".encode()
CATALOGUE = (
    "hs_code,description_zh,description_en,control_codes\n"
    "28444100,氚及其化合物,Tritium and its compounds,1C235\n"
).encode()

COURSE = {
    "kind": PublicationKind.TRAINING_COURSE,
    "title_zh": "商会出口管制入门",
    "title_en": "The chamber's export control primer",
    "summary_zh": "面向会员企业全体员工。",
    "body_zh": (
        "## 什么是两用物项\n\n既有民事用途又有军事用途的物项。\n\n## 资料保存\n\n保存不少于5年。"
    ),
    "body_en": (
        "## Dual-use items\n\nItems with civil and military uses.\n\n"
        "## Records\n\nKept at least five years."
    ),
    "quiz_zh": (
        "资料保存多久？\n- 1年\n* 不少于5年\n- 不必保存\n\n谁负责归类？\n* 出口经营者\n- 海关"
    ),
    "quiz_en": (
        "How long are records kept?\n- 1 year\n* At least 5 years\n- Not at all\n\n"
        "Who classifies?\n* The exporter\n- Customs"
    ),
    "pass_mark": 50,
    "duration_minutes": 20,
}
SETTINGS = {
    "kind": PublicationKind.MANUAL_SETTINGS,
    "title_zh": "手册推荐设置",
    "manual_language": "bilingual",
    "manual_edition": "concise",
    "manual_foreign_law_annex": True,
}


@pytest.fixture
def chamber(world):
    """A chamber with the test organisation as a current member."""
    chamber, users = chamber_with_staff()
    membership = ChamberMembershipFactory(
        organisation=chamber.organisation, member=world.organisation
    )
    return chamber.organisation, users, membership


def _published(chamber_org, users, data):
    publication = services.publication_create(
        organisation=chamber_org, actor=users["manager"], data=data
    )
    return services.publication_publish(publication=publication, actor=users["manager"])


def _list_publication(chamber_org, users, content=LIST_V1):
    control_list_import(content=content, organisation=chamber_org, user=users["manager"])
    return _published(
        chamber_org,
        users,
        {"kind": PublicationKind.CONTROL_LIST, "title_zh": "商会维护的管制清单"},
    )


def _codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_a_member_adopts_the_chamber_control_list_and_classifies_against_it(chamber, world):
    chamber_org, users, _membership = chamber
    publication = _list_publication(chamber_org, users)
    assert len(publication.content["rows"]) == 2
    manager = world.users["manager"]
    preview = services.adoption_preview(
        organisation=world.organisation, actor=manager, publication=publication
    )
    assert preview.new.count == 2 and not preview.updated.count
    assert not ControlListVersion.objects.filter(organisation=world.organisation).exists()

    adoption = services.publication_adopt(
        organisation=world.organisation, actor=manager, publication=publication
    )

    version = ControlListVersion.objects.get(organisation=world.organisation)
    assert adoption.record_type == "trade.controllistversion"
    assert adoption.object_id == str(version.pk)
    assert chamber_org.name in version.source_filename
    assert _codes(control_list_in_force(organisation=world.organisation)) == [
        "1C351",
        "3A001.a.1.a",
    ]
    # The member's own copy: the entries belong to the member, not to the chamber.
    assert all(
        e.organisation_id == world.organisation.pk
        for e in control_list_in_force(organisation=world.organisation)
    )
    log = EventLogEntry.objects.filter(organisation=world.organisation)
    assert log.filter(record_type="chambers.adoption").exists()
    assert log.filter(action="list_imported").exists()


def test_the_member_copy_stays_when_the_chamber_changes_its_list_or_the_member_leaves(
    chamber, world
):
    chamber_org, users, membership = chamber
    publication = _list_publication(chamber_org, users)
    manager = world.users["manager"]
    services.publication_adopt(
        organisation=world.organisation, actor=manager, publication=publication
    )
    # The chamber imports a new version: the member's list changes only when it adopts again.
    control_list_import(content=LIST_V2, organisation=chamber_org, user=users["manager"])
    assert "9A004" not in _codes(control_list_in_force(organisation=world.organisation))
    # A published version adopted later is still the version that was published.
    assert len(publication.content["rows"]) == 2

    services.chamber_membership_leave(membership=membership, actor=manager)
    assert _codes(control_list_in_force(organisation=world.organisation)) == [
        "1C351",
        "3A001.a.1.a",
    ]
    assert Adoption.objects.filter(organisation=world.organisation).count() == 1


def test_adoption_refusals(chamber, world):
    chamber_org, users, _membership = chamber
    publication = _list_publication(chamber_org, users)
    with pytest.raises(PermissionDenied):
        services.publication_adopt(
            organisation=world.organisation, actor=world.users["staff"], publication=publication
        )
    with pytest.raises(PermissionDenied):
        services.publication_adopt(
            organisation=world.organisation,
            actor=world.users["executive"],
            publication=publication,
        )
    # An organisation that is not a member.
    with pytest.raises(ValidationError):
        services.publication_adopt(
            organisation=world.other_organisation,
            actor=world.users["outsider"],
            publication=publication,
        )
    services.publication_adopt(
        organisation=world.organisation, actor=world.users["manager"], publication=publication
    )
    with pytest.raises(ValidationError, match="already adopted"):
        services.publication_adopt(
            organisation=world.organisation,
            actor=world.users["manager"],
            publication=publication,
        )
    # The same version cannot be shared twice; a draft cannot be adopted.
    with pytest.raises(ValidationError):
        services.publication_create(
            organisation=chamber_org,
            actor=users["manager"],
            data={"kind": PublicationKind.CONTROL_LIST, "title_zh": "再次"},
        )
    settings_draft = services.publication_create(
        organisation=chamber_org, actor=users["manager"], data=SETTINGS
    )
    with pytest.raises(ValidationError):
        services.publication_adopt(
            organisation=world.organisation,
            actor=world.users["manager"],
            publication=settings_draft,
        )


def test_a_chamber_without_its_own_list_cannot_share_one(chamber):
    chamber_org, users, _membership = chamber
    with pytest.raises(ValidationError) as error:
        services.publication_create(
            organisation=chamber_org,
            actor=users["manager"],
            data={"kind": PublicationKind.CUSTOMS_CATALOGUE, "title_zh": "海关目录"},
        )
    assert "kind" in error.value.message_dict


def test_a_member_adopts_the_chamber_customs_catalogue(chamber, world):
    chamber_org, users, _membership = chamber
    customs_catalogue_import(
        content=CATALOGUE, edition="2026", organisation=chamber_org, user=users["manager"]
    )
    publication = _published(
        chamber_org, users, {"kind": PublicationKind.CUSTOMS_CATALOGUE, "title_zh": "海关目录2026"}
    )
    services.publication_adopt(
        organisation=world.organisation, actor=world.users["manager"], publication=publication
    )
    entries = customs_catalogue_in_force(organisation=world.organisation)
    assert [(e.hs_code, e.edition, e.organisation_id) for e in entries] == [
        ("28444100", "2026", world.organisation.pk)
    ]


def test_a_member_adds_the_chamber_course_and_staff_pass_its_quiz(chamber, world):
    chamber_org, users, membership = chamber
    publication = _published(chamber_org, users, COURSE)
    assert len(publication.content["sections"]) == 2
    adoption = services.publication_adopt(
        organisation=world.organisation, actor=world.users["manager"], publication=publication
    )
    course = Course.objects.get(pk=adoption.object_id, organisation=world.organisation)
    assert course.topic_zh == "商会出口管制入门" and course.pass_mark == 50
    entry = library_course_of(course)
    assert [q.answer for q in entry.questions] == [1, 0]
    attempt = quiz_submit(
        organisation=world.organisation,
        user=world.users["staff"],
        course=course,
        answers={"q1": 1, "q2": 1},
    )
    assert attempt.score == 50 and attempt.passed and attempt.attendance is not None
    assert attempt.library_version == f"chamber:{publication.pk}"
    # A member that leaves keeps its course, material and quiz.
    services.chamber_membership_leave(membership=membership, actor=world.users["manager"])
    assert library_course_of(course) is not None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quiz_zh": "没有选项的问题"}, "quiz_zh"),
        ({"quiz_zh": "问题\n- 甲\n- 乙"}, "quiz_zh"),  # no right answer marked
        ({"quiz_en": "Q\n* a\n- b"}, "quiz_en"),  # one question where the Chinese has two
        ({"pass_mark": None}, "pass_mark"),
        ({"body_en": "## One\n\nOnly one section."}, "body_en"),
        ({"body_zh": ""}, "body_zh"),
    ],
)
def test_a_course_that_does_not_hold_together_is_refused(chamber, change, field):
    chamber_org, users, _membership = chamber
    with pytest.raises(ValidationError) as error:
        services.publication_create(
            organisation=chamber_org, actor=users["manager"], data={**COURSE, **change}
        )
    assert field in error.value.message_dict


def test_library_adoption_does_not_take_a_chamber_course(chamber, world):
    """The course library's own page cannot be used to add a chamber's course without being
    its member."""
    from icp.services.training_library import course_adopt

    chamber_org, users, _membership = chamber
    publication = _published(chamber_org, users, COURSE)
    with pytest.raises(ValidationError):
        course_adopt(
            organisation=world.other_organisation,
            user=world.users["outsider"],
            code=f"chamber:{publication.pk}",
        )


def test_a_member_applies_recommended_manual_settings_and_changes_them_back(chamber, world):
    chamber_org, users, _membership = chamber
    publication = _published(chamber_org, users, SETTINGS)
    services.publication_adopt(
        organisation=world.organisation, actor=world.users["manager"], publication=publication
    )
    settings = ManualSettings.objects.get(organisation=world.organisation)
    assert (settings.language, settings.edition, settings.foreign_law_annex) == (
        "bilingual",
        "concise",
        True,
    )
    assert settings.source == chamber_org.name
    client = Client()
    client.force_login(world.users["manager"])
    page = client.get(reverse("icp:manual_home"))
    assert page.context["typed"] == {
        "language": "bilingual",
        "edition": "concise",
        "foreign_law_annex": True,
    }
    assert 'data-testid="manual-settings"' in page.content.decode()
    # Reversible: the compliance manager saves other settings on the manual page.
    response = client.post(
        reverse("icp:manual_settings"), {"language": "zh-hans", "edition": "full"}
    )
    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.language, settings.edition, settings.foreign_law_annex, settings.source) == (
        "zh-hans",
        "full",
        False,
        "",
    )
    assert settings.history.count() == 2
    assert (
        EventLogEntry.objects.filter(
            organisation=world.organisation, record_type="icp.manualsettings"
        ).count()
        == 2
    )


def test_pages_share_a_course_and_a_member_adds_it(chamber, world):
    _chamber_org, users, _membership = chamber
    chamber_client = Client()
    chamber_client.force_login(users["manager"])
    response = chamber_client.post(
        reverse("chambers:publication_create"),
        {k: v for k, v in COURSE.items() if v is not None},
    )
    assert response.status_code == 302, response.context["form"].errors
    publication = int(response.url.rstrip("/").split("/")[-1])
    detail = chamber_client.get(response.url)
    assert 'data-testid="shared-course"' in detail.content.decode()
    chamber_client.post(reverse("chambers:publication_publish", args=[publication]))

    member = Client()
    member.force_login(world.users["manager"])
    listing = member.get(reverse("chambers:my_chambers")).content.decode()
    assert reverse("chambers:update_detail", args=[publication]) in listing
    page = member.get(reverse("chambers:update_detail", args=[publication]))
    assert 'data-testid="adopt"' in page.content.decode()
    response = member.post(reverse("chambers:publication_adopt", args=[publication]))
    assert response.status_code == 302
    course = Course.objects.get(organisation=world.organisation, topic_zh="商会出口管制入门")
    staff = Client()
    staff.force_login(world.users["staff"])
    material = staff.get(reverse("icp:course_material", args=[course.pk]))
    assert "Items with civil and military uses." in material.content.decode()
    quiz = staff.post(reverse("icp:course_quiz", args=[course.pk]), {"q1": "1", "q2": "0"})
    assert quiz.status_code == 302
    page = member.get(reverse("chambers:update_detail", args=[publication]))
    assert 'data-testid="adopted"' in page.content.decode()


def test_the_list_preview_shows_on_the_member_page(chamber, world):
    chamber_org, users, _membership = chamber
    publication = _list_publication(chamber_org, users)
    member = Client()
    member.force_login(world.users["manager"])
    content = member.get(reverse("chambers:update_detail", args=[publication.pk])).content
    assert 'data-testid="import-new"' in content.decode()
    # Staff read the publication but neither see a preview nor may adopt.
    staff = Client()
    staff.force_login(world.users["staff"])
    page = staff.get(reverse("chambers:update_detail", args=[publication.pk])).content.decode()
    assert 'data-testid="adopt"' not in page and 'data-testid="import-new"' not in page
    assert (
        staff.post(reverse("chambers:publication_adopt", args=[publication.pk])).status_code == 403
    )


def test_an_organisation_outside_the_chamber_cannot_read_or_adopt(chamber, world):
    chamber_org, users, _membership = chamber
    publication = _published(chamber_org, users, SETTINGS)
    outsider = Client()
    outsider.force_login(world.users["outsider"])
    assert outsider.get(reverse("chambers:update_detail", args=[publication.pk])).status_code == 404
    assert (
        outsider.post(reverse("chambers:publication_adopt", args=[publication.pk])).status_code
        == 404
    )
    assert not ManualSettings.objects.filter(organisation=world.other_organisation).exists()


def test_the_chamber_never_reaches_what_a_member_adopted(chamber, world):
    """Adopting makes the member's own records: the chamber's people cannot open them, and the
    chamber's publication page does not say who adopted it."""
    chamber_org, users, _membership = chamber
    publication = _published(chamber_org, users, COURSE)
    adoption = services.publication_adopt(
        organisation=world.organisation, actor=world.users["manager"], publication=publication
    )
    for persona in ("manager", "auditor", "executive", "staff"):
        client = Client()
        client.force_login(users[persona])
        assert client.get(reverse("icp:course_detail", args=[adoption.object_id])).status_code in {
            403,
            404,
        }
    client = Client()
    client.force_login(users["manager"])
    page = client.get(reverse("chambers:publication_detail", args=[publication.pk]))
    assert world.organisation.name not in page.content.decode()
